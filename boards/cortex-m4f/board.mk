# cortex-m4f: STM32F4-class (Cortex-M4 with single-precision FPU, hard-float
# ABI). Debian's gcc-arm-none-eabi with newlib-nano; the lwIP port. Also
# links the example firmware image (boards/cortex-m4f/firmware/): the
# README's example over HTTPS, with lwIP and mbedTLS built from Debian's
# source packages.
BOARDS += cortex-m4f
cortex-m4f_DESC := STM32F4-class, Cortex-M4F, arm-none-eabi-gcc, newlib-nano
cortex-m4f_CC := arm-none-eabi-gcc
cortex-m4f_TOOL := arm-none-eabi-
cortex-m4f_CPU := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
cortex-m4f_LINK := --specs=nano.specs --specs=nosys.specs
cortex-m4f_PORT := lwip
cortex-m4f_MCU := 1
cortex-m4f_FIRMWARE := 1
