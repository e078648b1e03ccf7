/* Pins whole-file reads and atomic writes (src/util/fileio.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpdir.h"
#include "../../src/util/fileio.h"

static char tmp_root[64];

static int setup(void **state)
{
    (void)state;
    return tmpdir_make(tmp_root, sizeof tmp_root, "fileio");
}

static int teardown(void **state)
{
    (void)state;
    return tmpdir_remove(tmp_root);
}

/* Fewer bytes than promised (a file truncated while it is read) is a failure, not a
 * short success: it once came back as the whole file. */
static void test_read_exact_short(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "abcde", 5), 5);
    close(fds[1]);
    char buf[16];
    errno = 0;
    assert_false(read_exact(fds[0], buf, 10));
    assert_int_equal(errno, EIO);
    close(fds[0]);

    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "abcdefghij", 10), 10);
    close(fds[1]);
    assert_true(read_exact(fds[0], buf, 10));
    assert_memory_equal(buf, "abcdefghij", 10);
    close(fds[0]);
}

static void test_read_all(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/f.txt", tmp_root);
    assert_true(file_write_atomic(path, "bonjour", 7));
    size_t len = 0;
    char *text = file_read_all(path, 100, &len);
    assert_non_null(text);
    assert_int_equal(len, 7);
    assert_string_equal(text, "bonjour");   /* NUL-terminated */
    free(text);
    errno = 0;
    assert_null(file_read_all(path, 6, &len));
    assert_int_equal(errno, EFBIG);
    assert_null(file_read_all(tmp_root, 100, &len));
    assert_int_equal(errno, EISDIR);
    snprintf(path, sizeof path, "%s/absent", tmp_root);
    assert_null(file_read_all(path, 100, &len));
    assert_int_equal(errno, ENOENT);
}

static void test_write_atomic(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/key.pem", tmp_root);
    assert_true(file_write_atomic_mode(path, "secret", 6, 0600));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* Replaced whole; no temporary file left beside it. */
    assert_true(file_write_atomic_mode(path, "autre", 5, 0600));
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 5);
    snprintf(path, sizeof path, "%s/absent/f", tmp_root);
    assert_false(file_write_atomic(path, "x", 1));
}

static void test_paths(void **state)
{
    (void)state;
    assert_true(path_has_dotdot("../a"));
    assert_true(path_has_dotdot("a/../b"));
    assert_true(path_has_dotdot("a/.."));
    assert_false(path_has_dotdot("a/..b/c"));
    assert_false(path_has_dotdot("..a"));
    char *d = path_dirname("a/b/c.csv");
    assert_string_equal(d, "a/b");
    free(d);
    d = path_dirname("c.csv");
    assert_string_equal(d, ".");
    free(d);
    d = path_dirname("/c.csv");
    assert_string_equal(d, "/");
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_exact_short),
        cmocka_unit_test(test_read_all),
        cmocka_unit_test(test_write_atomic),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
