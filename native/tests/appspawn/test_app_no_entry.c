/* An app library without the entry symbol: a spawn of it must fail at the entry step. */
__attribute__((visibility("default"))) int NotTheEntry(void);

int NotTheEntry(void)
{
    return 0;
}
