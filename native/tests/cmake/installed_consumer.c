/* Built against an installed Harmonia, once through pkg-config and once through find_package(Harmonia): proves
 * the installed headers, library, harmonia.pc and CMake package. */
#include <harmonia/harmonia.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    if (strcmp(hm_version(), HM_VERSION_STRING) != 0) {
        fprintf(stderr, "installed library %s does not match installed headers %s\n", hm_version(),
                HM_VERSION_STRING);
        return 1;
    }
    printf("installed harmonia %s works\n", hm_version());
    return 0;
}
