/* Compiled with `pkg-config --cflags --libs remoteit` against an installed copy: the header,
 * the library and its SONAME link resolve, and the runtime version matches the header. */
#include <stdio.h>
#include <string.h>

#include <remoteit.h>

int main(void)
{
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", REMOTEIT_VERSION_MAJOR, REMOTEIT_VERSION_MINOR,
             REMOTEIT_VERSION_PATCH);
    if (strcmp(remoteit_version(), expected) != 0) {
        fprintf(stderr, "version %s, header %s\n", remoteit_version(), expected);
        return 1;
    }
    printf("installed libremoteit %s links\n", remoteit_version());
    return 0;
}
