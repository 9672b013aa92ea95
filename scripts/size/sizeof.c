/* sizeof.c - the sizes of the caller-owned types on a target, read back
 * from the symbol sizes (nm -S) by scripts/size.sh: nothing is run. */
#include "bact.h"
#ifdef SIZEOF_LWIP
#include "bact_lwip.h"
#endif
#ifdef SIZEOF_TLS
#include "bact_mbedtls.h"
#endif

char sizeof_bact_client[sizeof(bact_client)];
char sizeof_bact_task[sizeof(bact_task)];
char sizeof_jsmntok_t[sizeof(jsmntok_t)];
#ifdef SIZEOF_LWIP
char sizeof_bact_lwip_conn[sizeof(bact_lwip_conn)];
#endif
#ifdef SIZEOF_TLS
char sizeof_bact_tls[sizeof(bact_tls)];
#endif
