// Loads the consumer library, then calls it, saying each time whether libcublas is in the process.
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
static int cublasLoaded(void) {
    FILE * maps = fopen("/proc/self/maps", "r");
    char line[4096];
    int found = 0;
    while (maps && fgets(line, sizeof line, maps)) if (strstr(line, "libcublas.so")) found = 1;
    if (maps) fclose(maps);
    return found;
}
int main(int argc, char ** argv) {
    void * consumer = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!consumer) { printf("{\"error\":\"%s\"}\n", dlerror()); return 1; }
    int afterLoad = cublasLoaded();
    int (*multiply)(void) = (int (*)(void))dlsym(consumer, "multiply");
    int result = multiply();
    printf("{\"loadedWithConsumer\":%s,\"result\":%d,\"loadedAfterCall\":%s}\n",
           afterLoad ? "true" : "false", result, cublasLoaded() ? "true" : "false");
    return 0;
}
