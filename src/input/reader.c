/* Files of requests, one record at a time: which reader, the pieces' root, and the
 * placeholder record of a problem of the whole file. */
#include "input.h"
#include "reader.h"
#include "../util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct input_reader {
    struct csv_reader *csv;             /* CSV: streamed */
    struct request_list xml;            /* XML: the document's records */
    size_t next;
};

struct request *input_file_problem(const char *path, const char *root, int line,
                                   const char *code, const char *message)
{
    struct request *r = request_new(path, root);
    r->line = line;
    r->whole_file = true;
    diag_add(&r->problems, code, NULL, request_record_loc(r), "%s", message);
    return r;
}

char *input_root(const char *path, const struct input_options *options)
{
    char *root = options->pieces_dir ? strdup(options->pieces_dir) : path_dirname(path);
    if (!root)
        abort();
    return root;
}

/* XML starts with '<' after an optional BOM and blanks; Notepad's "Unicode" XML is
 * UTF-16 with its BOM, which libxml2 reads. */
static bool looks_like_xml(const unsigned char *head, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    if (i < n && head[i] == '<')
        return true;
    return n >= 4 && (memcmp(head, "\xFF\xFE<\0", 4) == 0 || memcmp(head, "\xFE\xFF\0<", 4) == 0);
}

static struct input_reader *open_xml(const char *path, const char *data, size_t len,
                                     const struct input_options *options, const char *root)
{
    struct input_reader *reader = calloc(1, sizeof *reader);
    if (!reader)
        abort();
    xml_load_buffer(path, data, len, options, root, &reader->xml);
    return reader;
}

struct input_reader *input_open_file(const char *path, const struct input_options *options)
{
    /* O_NONBLOCK: a named pipe given as input must not hang; it is refused below. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        close(fd);
        errno = e;
        return NULL;
    }
    unsigned char head[64];
    ssize_t n = pread(fd, head, sizeof head, 0);
    if (n < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    char *root = input_root(path, options);
    struct input_reader *reader;
    if (looks_like_xml(head, (size_t)n)) {
        close(fd);
        size_t len;
        char *raw = file_read_all(path, INPUT_MAX_BYTES, &len);
        if (!raw) {
            free(root);
            return NULL;
        }
        reader = open_xml(path, raw, len, options, root);
        free(raw);
    } else {
        reader = calloc(1, sizeof *reader);
        if (!reader)
            abort();
        reader->csv = csv_reader_open(path, fd, NULL, 0, options, root);
    }
    free(root);
    return reader;
}

struct input_reader *input_open_memory(const char *name, const void *data, size_t len,
                                       const struct input_options *options)
{
    char *root = options->pieces_dir ? strdup(options->pieces_dir) : strdup(".");
    if (!root)
        abort();
    struct input_reader *reader;
    if (looks_like_xml(data, len < 64 ? len : 64)) {
        reader = open_xml(name, data, len, options, root);
    } else {
        reader = calloc(1, sizeof *reader);
        if (!reader)
            abort();
        reader->csv = csv_reader_open(name, -1, data, len, options, root);
    }
    free(root);
    return reader;
}

struct request *input_next(struct input_reader *reader)
{
    if (reader->csv)
        return csv_reader_next(reader->csv);
    if (reader->next >= reader->xml.count)
        return NULL;
    struct request *r = reader->xml.items[reader->next];
    reader->xml.items[reader->next++] = NULL;
    return r;
}

void input_close(struct input_reader *reader)
{
    if (!reader)
        return;
    csv_reader_close(reader->csv);
    request_list_release(&reader->xml);
    free(reader);
}

static bool load_all(struct input_reader *reader, struct request_list *out)
{
    if (!reader)
        return false;
    for (struct request *r; (r = input_next(reader)) != NULL;)
        request_list_push(out, r);
    input_close(reader);
    return true;
}

bool request_load_file(const char *path, const struct input_options *options, struct request_list *out)
{
    return load_all(input_open_file(path, options), out);
}

bool request_load_csv(const char *path, const struct input_options *options, struct request_list *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    char *root = input_root(path, options);
    struct input_reader *reader = calloc(1, sizeof *reader);
    if (!reader)
        abort();
    reader->csv = csv_reader_open(path, fd, NULL, 0, options, root);
    free(root);
    return load_all(reader, out);
}

bool request_load_xml(const char *path, const struct input_options *options, struct request_list *out)
{
    size_t len;
    char *raw = file_read_all(path, INPUT_MAX_BYTES, &len);
    if (!raw)
        return false;
    char *root = input_root(path, options);
    struct input_reader *reader = open_xml(path, raw, len, options, root);
    free(root);
    free(raw);
    return load_all(reader, out);
}
