# rv32imc: ESP32-C3-class (RV32IMC, ilp32, no FPU). Debian's
# gcc-riscv64-unknown-elf (multilib) with picolibc; the lwIP port.
BOARDS += rv32imc
rv32imc_DESC := ESP32-C3-class, RV32IMC, riscv64-unknown-elf-gcc, picolibc
rv32imc_CC := riscv64-unknown-elf-gcc
rv32imc_TOOL := riscv64-unknown-elf-
rv32imc_CPU := -march=rv32imc -mabi=ilp32 --specs=picolibc.specs
rv32imc_LINK :=
rv32imc_PORT := lwip
rv32imc_MCU := 1
