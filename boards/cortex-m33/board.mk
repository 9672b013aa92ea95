# cortex-m33: nRF5340 / RP2350-class (ARMv8-M mainline, single-precision
# FPU, hard-float ABI). Debian's gcc-arm-none-eabi with newlib-nano; the
# lwIP port.
BOARDS += cortex-m33
cortex-m33_DESC := nRF5340/RP2350-class, Cortex-M33, arm-none-eabi-gcc, newlib-nano
cortex-m33_CC := arm-none-eabi-gcc
cortex-m33_TOOL := arm-none-eabi-
cortex-m33_CPU := -mcpu=cortex-m33 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16
cortex-m33_LINK := --specs=nano.specs --specs=nosys.specs
cortex-m33_PORT := lwip
cortex-m33_MCU := 1
