/*
 * arch/sys_arch.h - lwIP's OS types for the boards' configuration: opaque
 * handles, so one header fits any RTOS glue (FreeRTOS, Zephyr, ThreadX,
 * ...). The glue itself (sys_sem_new, sys_mbox_post, sys_thread_new, ...)
 * is the board's: boards/cortex-m4f/sys_arch.c is a stand-in.
 */
#ifndef BACT_LWIP_ARCH_SYS_ARCH_H
#define BACT_LWIP_ARCH_SYS_ARCH_H

#include <stdint.h>

#define SYS_MBOX_NULL NULL
#define SYS_SEM_NULL NULL

typedef uint32_t sys_prot_t;

struct sys_sem;
typedef struct sys_sem *sys_sem_t;
#define sys_sem_valid(sem) (((sem) != NULL) && (*(sem) != NULL))
#define sys_sem_set_invalid(sem) do { if ((sem) != NULL) *(sem) = NULL; } while (0)

struct sys_mutex;
typedef struct sys_mutex *sys_mutex_t;
#define sys_mutex_valid(m) sys_sem_valid(m)
#define sys_mutex_set_invalid(m) sys_sem_set_invalid(m)

struct sys_mbox;
typedef struct sys_mbox *sys_mbox_t;
#define sys_mbox_valid(mb) sys_sem_valid(mb)
#define sys_mbox_set_invalid(mb) sys_sem_set_invalid(mb)

struct sys_thread;
typedef struct sys_thread *sys_thread_t;

#endif /* BACT_LWIP_ARCH_SYS_ARCH_H */
