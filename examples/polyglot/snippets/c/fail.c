#include <stdio.h>

int main(void) {
    const char *path = "numbers.txt";
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return 3;
    }
    fclose(file);
    return 0;
}
