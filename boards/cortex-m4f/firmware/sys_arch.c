/*
 * sys_arch.c - lwIP's OS layer, as a stand-in: every primitive lwIP's
 * socket API needs (semaphores, mutexes, mailboxes, a thread, a clock,
 * critical sections), with just enough behaviour to link. A real board
 * uses its RTOS's glue (FreeRTOS, Zephyr, ...), typically 1-2 KB of code
 * plus the RTOS itself, which this image leaves out.
 */
#include <stddef.h>
#include <stdint.h>

#include "lwip/sys.h"

static volatile uint32_t ticks_ms; /* a SysTick handler would count */

struct sys_sem { volatile uint32_t count; };
struct sys_mutex { volatile uint32_t locked; };
struct sys_mbox { void *slot; volatile uint32_t full; };

static struct sys_sem sems[16];
static struct sys_mutex mutexes[4];
static struct sys_mbox mboxes[8];
static unsigned n_sems, n_mutexes, n_mboxes;

void sys_init(void) { }

u32_t sys_now(void) { return ticks_ms; }

sys_prot_t sys_arch_protect(void) { return 0; }
void sys_arch_unprotect(sys_prot_t pval) { (void)pval; }

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
    if (n_sems >= sizeof sems / sizeof sems[0])
        return ERR_MEM;
    *sem = &sems[n_sems++];
    (*sem)->count = count;
    return ERR_OK;
}
void sys_sem_signal(sys_sem_t *sem) { (*sem)->count++; }
u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
    (void)timeout;
    if ((*sem)->count == 0)
        return SYS_ARCH_TIMEOUT;
    (*sem)->count--;
    return 0;
}
void sys_sem_free(sys_sem_t *sem) { *sem = NULL; }

err_t sys_mutex_new(sys_mutex_t *m)
{
    if (n_mutexes >= sizeof mutexes / sizeof mutexes[0])
        return ERR_MEM;
    *m = &mutexes[n_mutexes++];
    return ERR_OK;
}
void sys_mutex_lock(sys_mutex_t *m) { (*m)->locked = 1; }
void sys_mutex_unlock(sys_mutex_t *m) { (*m)->locked = 0; }
void sys_mutex_free(sys_mutex_t *m) { *m = NULL; }

err_t sys_mbox_new(sys_mbox_t *mb, int size)
{
    (void)size;
    if (n_mboxes >= sizeof mboxes / sizeof mboxes[0])
        return ERR_MEM;
    *mb = &mboxes[n_mboxes++];
    return ERR_OK;
}
void sys_mbox_post(sys_mbox_t *mb, void *msg)
{
    (*mb)->slot = msg;
    (*mb)->full = 1;
}
err_t sys_mbox_trypost(sys_mbox_t *mb, void *msg)
{
    if ((*mb)->full)
        return ERR_MEM;
    sys_mbox_post(mb, msg);
    return ERR_OK;
}
err_t sys_mbox_trypost_fromisr(sys_mbox_t *mb, void *msg)
{
    return sys_mbox_trypost(mb, msg);
}
u32_t sys_arch_mbox_fetch(sys_mbox_t *mb, void **msg, u32_t timeout)
{
    (void)timeout; /* an RTOS would block up to timeout ms */
    return sys_arch_mbox_tryfetch(mb, msg) == 0 ? 0 : SYS_ARCH_TIMEOUT;
}
u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mb, void **msg)
{
    if (!(*mb)->full)
        return SYS_MBOX_EMPTY;
    if (msg != NULL)
        *msg = (*mb)->slot;
    (*mb)->full = 0;
    return 0;
}
void sys_mbox_free(sys_mbox_t *mb) { *mb = NULL; }

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn thread, void *arg,
                            int stacksize, int prio)
{
    (void)name; (void)stacksize; (void)prio;
    (void)thread; (void)arg; /* an RTOS would start it */
    return NULL;
}
