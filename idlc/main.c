// idlc: the COM IDL compiler. Everything but main() lives in the other
// files so the fuzz harness can link them.
#include "idlc.h"

int main(int argc, char **argv)
{
    return idlc_main(argc, argv);
}
