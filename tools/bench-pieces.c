/* Makes the attached pieces of `make bench`: ID photos as a phone takes them, JPEG of
 * 1600 x 1000 pixels and 150-300 KB (a card on a desk: gradients, grain, printed
 * lines, a face-like blob, SPECIMEN across it), each a little different, so that no
 * cache hides the decoding cost. Deterministic: the same N gives the same files.
 *
 *   bench-pieces DIR N     writes DIR/photo-000.jpg ... DIR/photo-(N-1).jpg */
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <turbojpeg.h>

#define W 1600
#define H 1000

static uint32_t rng = 12345;

static double rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (double)(rng >> 8) / (double)(1u << 24);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return fprintf(stderr, "usage: bench-pieces DIR N\n"), 2;
    int n = atoi(argv[2]);
    tjhandle tj = tjInitCompress();
    for (int k = 0; k < n; k++) {
        rng = 1000u + (uint32_t)k;
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
        cairo_t *cr = cairo_create(s);
        /* The desk, the card, a photo, lines of text. */
        cairo_pattern_t *desk = cairo_pattern_create_linear(0, 0, W, H);
        cairo_pattern_add_color_stop_rgb(desk, 0, 0.45 + 0.1 * rnd(), 0.35, 0.25);
        cairo_pattern_add_color_stop_rgb(desk, 1, 0.25, 0.2, 0.15 + 0.1 * rnd());
        cairo_set_source(cr, desk);
        cairo_paint(cr);
        cairo_pattern_destroy(desk);
        cairo_save(cr);
        cairo_translate(cr, W / 2.0, H / 2.0);
        cairo_rotate(cr, (rnd() - 0.5) * 0.1);
        cairo_rectangle(cr, -650, -400, 1300, 800);
        cairo_set_source_rgb(cr, 0.85 + 0.1 * rnd(), 0.88, 0.92);
        cairo_fill(cr);
        cairo_rectangle(cr, -600, -320, 360, 460);
        cairo_set_source_rgb(cr, 0.6 + 0.2 * rnd(), 0.55, 0.5);
        cairo_fill(cr);
        cairo_arc(cr, -420, -140, 110, 0, 2 * M_PI);
        cairo_set_source_rgb(cr, 0.8, 0.65, 0.55);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.2);
        cairo_select_font_face(cr, "sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
        cairo_set_font_size(cr, 44);
        for (int line = 0; line < 8; line++) {
            cairo_move_to(cr, -180, -260 + 70 * line);
            char text[64];
            snprintf(text, sizeof text, "CHAMP %d : %08X", line, (unsigned)(rnd() * 4e9));
            cairo_show_text(cr, text);
        }
        cairo_set_font_size(cr, 160);
        cairo_set_source_rgba(cr, 0.8, 0.1, 0.1, 0.35);
        cairo_move_to(cr, -560, 330);
        cairo_show_text(cr, "SPECIMEN");
        cairo_restore(cr);
        cairo_destroy(cr);
        /* Sensor grain: what makes a photo weigh what it does. */
        cairo_surface_flush(s);
        unsigned char *px = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                unsigned char *p = px + y * stride + 4 * x;
                int g = (int)(rnd() * 14) - 7;
                for (int c = 0; c < 3; c++) {
                    int v = p[c] + g;
                    p[c] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
                }
            }
        unsigned char *jpeg = NULL;
        unsigned long len = 0;
        tjCompress2(tj, px, W, stride, H, TJPF_BGRX, &jpeg, &len, TJSAMP_420, 82, 0);
        char path[4096];
        snprintf(path, sizeof path, "%s/photo-%03d.jpg", argv[1], k);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(jpeg, 1, len, f) != len || fclose(f) != 0)
            return perror(path), 1;
        tjFree(jpeg);
        cairo_surface_destroy(s);
    }
    tjDestroy(tj);
    return 0;
}
