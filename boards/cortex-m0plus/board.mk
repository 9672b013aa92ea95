# cortex-m0plus: RP2040-class (ARMv6-M, no divide instruction, no FPU).
# Debian's gcc-arm-none-eabi with newlib-nano; the lwIP port.
BOARDS += cortex-m0plus
cortex-m0plus_DESC := RP2040-class, Cortex-M0+, arm-none-eabi-gcc, newlib-nano
cortex-m0plus_CC := arm-none-eabi-gcc
cortex-m0plus_TOOL := arm-none-eabi-
cortex-m0plus_CPU := -mcpu=cortex-m0plus -mthumb
cortex-m0plus_LINK := --specs=nano.specs --specs=nosys.specs
cortex-m0plus_PORT := lwip
cortex-m0plus_MCU := 1
