#include <stdio.h>

// #region greet
static void greet(const char *name) {
    printf("hello from %s\n", name);
}
// #endregion

int main(void) {
    greet("C");
    for (int i = 1; i <= 3; i++) printf("%d squared is %d\n", i, i * i);
    return 0;
}
