/* Runs one command and measures it, for Scripts/bench-analyze (docs/benchmarks.md).

     cc -O2 -o measure measure.c
     ./measure [-o STDOUT_FILE] [-e STDERR_FILE] -- COMMAND [ARGS...]

   Prints one line: wall_s user_s sys_s max_rss_kb peak_rss_anon_kb peak_rss_file_kb exit
   - wall: CLOCK_MONOTONIC from fork to the child's exit (woken by a pidfd, not by polling);
   - user, sys, max_rss: wait4's rusage of the child, the figures /usr/bin/time -v prints
     ("Maximum resident set size" is ru_maxrss). Linux keeps the pre-exec RSS of the forked
     process in ru_maxrss, which is why this small program forks and not the Python harness
     (whose 40 MB would otherwise be the floor of every figure);
   - RssAnon / RssFile: the largest values of /proc/PID/status seen, sampled every 10 ms.
   Standard output goes to /dev/null unless -o is given. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void sample(pid_t pid, long *anon, long *file) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        long v;
        if (sscanf(line, "RssAnon: %ld", &v) == 1 && v > *anon) *anon = v;
        else if (sscanf(line, "RssFile: %ld", &v) == 1 && v > *file) *file = v;
    }
    fclose(f);
}

int main(int argc, char **argv) {
    const char *out = "/dev/null", *err = NULL;
    int i = 1;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "-e") && i + 1 < argc) err = argv[++i];
        else if (!strcmp(argv[i], "--")) { i++; break; }
        else break;
    }
    if (i >= argc) { fprintf(stderr, "usage: %s [-o FILE] [-e FILE] -- COMMAND [ARGS...]\n", argv[0]); return 2; }
    int ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int efd = err ? open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
    if (ofd < 0 || (err && efd < 0)) { perror("measure: open"); return 2; }
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) { perror("measure: fork"); return 2; }
    if (pid == 0) {
        dup2(ofd, 1);
        if (efd >= 0) dup2(efd, 2);
        execvp(argv[i], argv + i);
        perror(argv[i]);
        _exit(127);
    }
    long anon = 0, file = 0;
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    for (;;) {
        sample(pid, &anon, &file);
        if (pfd >= 0) {
            struct pollfd p = {.fd = pfd, .events = POLLIN};
            if (poll(&p, 1, 10) > 0) break;
        } else {
            siginfo_t si = {0}; /* no pidfd (Linux < 5.3): look every millisecond */
            if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid != 0) break;
            usleep(1000);
        }
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) { perror("measure: wait4"); return 2; }
    double wall = now() - t0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    printf("%.6f %.6f %.6f %ld %ld %ld %d\n", wall, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss, anon, file, code);
    return 0;
}
