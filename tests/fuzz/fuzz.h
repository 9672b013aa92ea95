/*
 * fuzz.h - what the libFuzzer harnesses share: the entry points' prototypes
 * and FZ_CHECK, an invariant check that aborts (libFuzzer then saves the
 * input as a crash artifact, like any sanitizer finding).
 */
#ifndef BACT_FUZZ_H
#define BACT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static inline void fz_fail(const char *file, int line, const char *what)
{
    /* stderr as libc has it: harnesses that redirect the tool's output
     * rename stdout/stderr only after this header */
    fprintf(stderr, "fuzz invariant failed: %s:%d: %s\n", file, line, what);
    fflush(stderr);
    abort();
}

#define FZ_CHECK(cond)                                 \
    do {                                               \
        if (!(cond))                                   \
            fz_fail(__FILE__, __LINE__, #cond);        \
    } while (0)

#define FZ_FAIL(what) fz_fail(__FILE__, __LINE__, what)

/* FUZZ_SKIP=name,...: leave out the checks of findings already reported,
 * to fuzz on past them (each such check names itself). */
static inline int fz_skip(const char *name)
{
    static const char *list;
    static int read;
    if (!read) {
        list = getenv("FUZZ_SKIP");
        read = 1;
    }
    return list != NULL && strstr(list, name) != NULL;
}

#endif /* BACT_FUZZ_H */
