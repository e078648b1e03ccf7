/* The CGU: the general terms of use from templates/cgu.xml, version on every page.
 * Their text is the same in every dossier of a batch: the pages' bodies are laid out
 * once per context and kept (flate.h), only the furniture is drawn per dossier. */
#include "documents.h"
#include "flate.h"
#include "../util/arena.h"
#include "../util/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define CGU_SIZE 8.8f

/* What one block of the CGU prints, filled: a paragraph, or a list item with an
 * optional lead-in. */
struct cgu_item {
    const char *text;
    const char *lead;           /* list item: its term and a space, or NULL */
    bool item;
};

/* Calls DRAW for every block in order; the article titles come as bold blocks. */
typedef void (*cgu_visit)(struct render_ctx *ctx, const struct cgu_item *item, bool article, void *data);

static void cgu_walk(struct render_ctx *ctx, cgu_visit visit, void *data)
{
    const struct cgu *c = &ctx->texts->cgu;
    for (size_t i = 0; i < c->preamble_count; i++)
        visit(ctx, &(struct cgu_item){ ctx_fill(ctx, c->preamble[i]), NULL, false }, false, data);
    for (size_t i = 0; i < c->article_count; i++) {
        const struct cgu_article *art = &c->articles[i];
        visit(ctx, &(struct cgu_item){ arena_printf(ctx->arena, "Article %s – %s", art->number, art->title), NULL,
                                       false }, true, data);
        for (size_t b = 0; b < art->block_count; b++) {
            const struct cgu_block *blk = &art->blocks[b];
            /* "Terme : définition" keeps its space before the colon. */
            const char *lead = blk->item && blk->term ? arena_printf(ctx->arena, "%s ", blk->term) : NULL;
            visit(ctx, &(struct cgu_item){ ctx_fill(ctx, blk->text), lead, blk->item }, false, data);
        }
    }
}

static void draw_item(struct render_ctx *ctx, const struct cgu_item *it, bool article, void *data)
{
    (void)data;
    struct layout *l = ctx->layout;
    if (article) {
        /* An article title never ends a page: it keeps three lines of its text. */
        layout_ensure(l, 10 * LEADING + 4 + 3 * CGU_SIZE * LEADING);
        l->y -= 4;
        layout_paragraph(l, it->text, STYLE_BOLD, 10, 0);
    } else if (!it->item) {
        layout_paragraph(l, it->text, STYLE_REGULAR, CGU_SIZE, 0);
    } else {
        layout_bullet(l, it->lead, it->text, 8);
    }
}

/* The key of the bodies: every text they print, in order. */
static void key_item(struct render_ctx *ctx, const struct cgu_item *it, bool article, void *data)
{
    (void)ctx;
    struct strbuf *key = data;
    sb_printf(key, "%c%c%s\x1f%s\x1e", article ? 'A' : 'P', it->item ? 'I' : '-', it->lead ? it->lead : "",
              it->text);
}

int render_cgu(struct render_ctx *ctx)
{
    struct layout *l = ctx->layout;
    const struct cgu *c = &ctx->texts->cgu;
    const char *note = arena_printf(ctx->arena, "Version %s du %s", c->version, c->date_words);
    const char *subtitle = arena_printf(ctx->arena, "%s — %s", ctx->plan->authority->legal_name, note);
    struct doc_frame frame;
    ctx_frame(ctx, &frame, "CGU", "doc.cgu", note, ctx->plan->paper);
    layout_begin_document(l, &frame.furniture);

    struct strbuf key = { 0 };
    sb_printf(&key, "CGU 1\x1e%s\x1e%s\x1e", c->title, subtitle);
    cgu_walk(ctx, key_item, &key);
    size_t len = 0, count = 0;
    char *kept = ctx->cache ? (char *)flate_cache_blob(ctx->cache, key.data, key.len, &len, &count) : NULL;
    if (kept) {
        for (size_t i = 1; i < count; i++)
            layout_new_page(l);
        struct pdf_page **pages = malloc(count * sizeof *pages);
        if (!pages)
            abort();
        for (size_t i = 0; i < count; i++)
            pages[i] = l->pages[l->doc_first + i].page;
        if (!pdf_bodies_restore(l->pdf, pages, count, kept, len))
            l->problems++;      /* cannot happen: the bodies were saved by this build */
        free(pages);
        free(kept);
        sb_release(&key);
        return layout_end_document(l);
    }

    int problems = l->problems;
    layout_title(l, c->title, subtitle);
    cgu_walk(ctx, draw_item, NULL);
    int page_count = layout_end_document(l);
    struct pdf_page **pages = malloc((size_t)page_count * sizeof *pages);
    if (!pages)
        abort();
    for (int i = 0; i < page_count; i++)
        pages[i] = l->pages[l->doc_first + (size_t)i].page;
    struct strbuf bodies = { 0 };
    if (ctx->cache && l->problems == problems && pdf_bodies_cacheable(l->pdf, pages, (size_t)page_count) &&
        pdf_bodies_save(pages, (size_t)page_count, &bodies))
        flate_cache_keep_blob(ctx->cache, key.data, key.len, (const unsigned char *)bodies.data, bodies.len,
                              (size_t)page_count);
    sb_release(&bodies);
    free(pages);
    sb_release(&key);
    return page_count;
}
