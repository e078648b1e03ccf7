/* Files of requests, one record at a time: which reader, the pieces' root, and the
 * placeholder record of a problem of the whole file. */
#include "input.h"
#include "reader.h"
#include "../util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct input_reader {
    struct csv_reader *csv;             /* CSV: streamed */
    struct xml_stream *stream;          /* XML in UTF-8: streamed */
    int fd;                             /* the stream's file, or -1 */
    struct request_list xml;            /* other XML (UTF-16...): the document's records */
    size_t next;
};

/* Bytes of a UTF-8 XML file read to check its prolog before any parser sees it. */
#define XML_HEAD_BYTES (1u << 20)

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

static struct input_reader *reader_new(void)
{
    struct input_reader *reader = calloc(1, sizeof *reader);
    if (!reader)
        abort();
    reader->fd = -1;
    return reader;
}

static struct input_reader *open_xml(const char *path, const char *data, size_t len,
                                     const struct input_options *options, const char *root)
{
    struct input_reader *reader = reader_new();
    xml_load_buffer(path, data, len, options, root, &reader->xml);
    return reader;
}

/* A UTF-8 document (no BOM but UTF-8's, no other encoding declared): streamed. */
static bool streamable(const unsigned char *head, size_t n)
{
    /* UTF-16 or UTF-32, with a BOM or without (NUL bytes among the first ones). */
    if (n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        return false;
    if (memchr(head, '\0', n < 64 ? n : 64))
        return false;
    const char *decl = n >= 5 ? memmem(head, n < 200 ? n : 200, "<?xml", 5) : NULL;
    if (!decl)
        return true;
    const char *end = memmem(decl, n - (size_t)(decl - (const char *)head), "?>", 2);
    const char *enc = end ? memmem(decl, (size_t)(end - decl), "encoding", 8) : NULL;
    if (!enc)
        return true;
    const char *q = enc + 8;
    while (q < end && (*q == ' ' || *q == '=' || *q == '"' || *q == '\''))
        q++;
    return strncasecmp(q, "UTF-8", 5) == 0 || strncasecmp(q, "UTF8", 4) == 0;
}

/* The prolog of HEAD checked (DOCTYPE refused before any parser sees it), then the
 * stream opened over FD or DATA. */
static struct input_reader *open_xml_stream(const char *path, int fd, const char *data, size_t len,
                                            const char *head, size_t head_len,
                                            const struct input_options *options, const char *root)
{
    struct input_reader *reader = reader_new();
    struct request *problem = xml_prolog_problem(path, root, head, head_len);
    if (problem) {
        request_list_push(&reader->xml, problem);
        if (fd >= 0)
            close(fd);
        return reader;
    }
    reader->fd = fd;
    reader->stream = xml_stream_open(path, fd, data, len, options, root);
    return reader;
}

/* XML from FD: streamed when UTF-8, else read whole (at most INPUT_MAX_BYTES). */
static struct input_reader *open_xml_fd(const char *path, int fd, const struct input_options *options,
                                        const char *root)
{
    char *head = malloc(XML_HEAD_BYTES);
    if (!head)
        abort();
    ssize_t n = pread(fd, head, XML_HEAD_BYTES, 0);
    if (n < 0) {
        int e = errno;
        free(head);
        close(fd);
        errno = e;
        return NULL;
    }
    struct input_reader *reader;
    if (streamable((const unsigned char *)head, (size_t)n)) {
        reader = open_xml_stream(path, fd, NULL, 0, head, (size_t)n, options, root);
    } else {
        close(fd);
        size_t len;
        char *raw = file_read_all(path, INPUT_MAX_BYTES, &len);
        reader = raw ? open_xml(path, raw, len, options, root) : NULL;
        free(raw);
    }
    free(head);
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
        /* The reader reads on: blocking again (the file is a regular one). */
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        reader = open_xml_fd(path, fd, options, root);
    } else {
        reader = reader_new();
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
        size_t head = len < XML_HEAD_BYTES ? len : XML_HEAD_BYTES;
        reader = streamable(data, head) ? open_xml_stream(name, -1, data, len, data, head, options, root)
                                        : open_xml(name, data, len, options, root);
    } else {
        reader = reader_new();
        reader->csv = csv_reader_open(name, -1, data, len, options, root);
    }
    free(root);
    return reader;
}

struct request *input_next(struct input_reader *reader)
{
    if (reader->csv)
        return csv_reader_next(reader->csv);
    if (reader->next >= reader->xml.count && reader->stream)
        return xml_stream_next(reader->stream);
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
    xml_stream_close(reader->stream);
    if (reader->fd >= 0)
        close(reader->fd);
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
    struct input_reader *reader = reader_new();
    reader->csv = csv_reader_open(path, fd, NULL, 0, options, root);
    free(root);
    return load_all(reader, out);
}

bool request_load_xml(const char *path, const struct input_options *options, struct request_list *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char *root = input_root(path, options);
    struct input_reader *reader = open_xml_fd(path, fd, options, root);
    free(root);
    return load_all(reader, out);
}
