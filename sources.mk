# The library's sources, for other build systems. Include from the top.
BACT_CORE_SRCS  := src/api.c src/client.c src/http.c src/json_read.c \
                   src/json_write.c src/url.c
BACT_POSIX_SRCS := port/posix/bact_posix.c
BACT_INCLUDES   := include
# The TLS transport (needs mbedTLS 2.28 or 3.6; see port/mbedtls/README.md)
BACT_MBEDTLS_SRCS := port/mbedtls/bact_mbedtls.c
BACT_MBEDTLS_INCLUDES := port/mbedtls port/mbedtls/config
# The lwIP socket transport (see port/lwip/)
BACT_LWIP_SRCS := port/lwip/bact_lwip.c
BACT_LWIP_INCLUDES := port/lwip
