/* Pins the region allocator (src/util/arena.c) and the growable buffer with its
 * escapers (src/util/strbuf.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../src/util/arena.h"
#include "../../src/util/strbuf.h"

static void test_arena_alloc(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    /* Zeroed and aligned for any type, small or large, many times over. */
    for (size_t size = 1; size < 100000; size = size * 3 + 1) {
        unsigned char *p = arena_alloc(a, size);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        for (size_t i = 0; i < size; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xAB, size);
    }
    assert_non_null(arena_alloc(a, 0));
    /* A big allocation does not waste the current block: small ones still fit in it. */
    size_t before = arena_used(a);
    arena_alloc(a, 1 << 20);
    char *small = arena_alloc(a, 16);
    assert_true(arena_used(a) >= before + (1 << 20));
    memset(small, 1, 16);
    arena_free(a);
    arena_free(NULL);
}

static void test_arena_strings(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    assert_string_equal(arena_strdup(a, "Ærøskøbing"), "Ærøskøbing");
    assert_null(arena_strdup(a, NULL));
    assert_string_equal(arena_strndup(a, "Łukasz Nowak", 7), "Łukasz");
    assert_string_equal(arena_printf(a, "%s-%03d", "n", 7), "n-007");
    char big[5000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_string_equal(arena_printf(a, "%s", big), big);
    arena_free(a);
}

static void test_strbuf(void **state)
{
    (void)state;
    struct strbuf sb = { 0 };
    char *empty = sb_take(&sb);
    assert_string_equal(empty, "");     /* never NULL */
    free(empty);
    for (int i = 0; i < 1000; i++)
        sb_printf(&sb, "%d,", i);
    assert_int_equal(sb.len, strlen(sb.data));
    assert_true(strncmp(sb.data, "0,1,2,", 6) == 0);
    sb_release(&sb);

    sb_json_string(&sb, "a\"b\\c\nd\te\x01 é");
    assert_string_equal(sb.data, "\"a\\\"b\\\\c\\nd\\te\\u0001 é\"");
    sb_release(&sb);
    sb_json_string(&sb, NULL);
    assert_string_equal(sb.data, "\"\"");
    sb_release(&sb);

    sb_csv_cell(&sb, "simple", ';');
    sb_puts(&sb, "|");
    sb_csv_cell(&sb, "a;b", ';');
    sb_puts(&sb, "|");
    sb_csv_cell(&sb, "dit \"oui\"", ';');
    sb_puts(&sb, "|");
    sb_csv_cell(&sb, "deux\nlignes", ';');
    sb_puts(&sb, "|");
    sb_csv_cell(&sb, "a,b", ';');
    assert_string_equal(sb.data, "simple|\"a;b\"|\"dit \"\"oui\"\"\"|\"deux\nlignes\"|a,b");
    sb_release(&sb);

    sb_xml_text(&sb, "<a href=\"x\">Brindille & Cie</a>");
    assert_string_equal(sb.data, "&lt;a href=&quot;x&quot;&gt;Brindille &amp; Cie&lt;/a&gt;");
    char *taken = sb_take(&sb);
    assert_null(sb.data);
    assert_int_equal(sb.len, 0);
    free(taken);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_alloc),
        cmocka_unit_test(test_arena_strings),
        cmocka_unit_test(test_strbuf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
