/* empty.c - the baseline for `make size`: what the C library and startup
 * code cost with nothing else (libc delta = client's libc - this). */
int main(void);
int main(void)
{
    return 0;
}
