/* ward-init: the init on its own, a small static executable that setup executes as PID 1
 * of the sandbox (and that works alone, like tini: `ward-init -- CMD`). */
#include "ward/init.h"

int main(int argc, char **argv)
{
        return init_main(argc, argv);
}
