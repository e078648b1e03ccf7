/* QR codes with zbar, and the page-to-scan map. */
#include "locate.h"
#include "scanlibs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Black and white by a local threshold (darker than the mean of the square of side
 * 2R+1 around it by more than C): a blurred, noisy scan's modules separate again,
 * where zbar's own threshold merges them. */
static void binarize(uint8_t *g, int w, int h, int r, int c)
{
    uint32_t *sum = malloc(sizeof *sum * (size_t)(w + 1) * (size_t)(h + 1));
    uint8_t *out = malloc((size_t)w * (size_t)h);
    if (!sum || !out) {
        free(sum);
        free(out);
        return;
    }
    memset(sum, 0, sizeof *sum * (size_t)(w + 1));
    for (int y = 0; y < h; y++) {
        uint32_t row = 0;
        sum[(size_t)(y + 1) * (size_t)(w + 1)] = 0;
        for (int x = 0; x < w; x++) {
            row += g[(size_t)y * (size_t)w + (size_t)x];
            sum[(size_t)(y + 1) * (size_t)(w + 1) + (size_t)x + 1] = sum[(size_t)y * (size_t)(w + 1) + (size_t)x + 1] + row;
        }
    }
    for (int y = 0; y < h; y++) {
        int ya = y - r < 0 ? 0 : y - r, yb = y + r + 1 > h ? h : y + r + 1;
        for (int x = 0; x < w; x++) {
            int xa = x - r < 0 ? 0 : x - r, xb = x + r + 1 > w ? w : x + r + 1;
            uint32_t s = sum[(size_t)yb * (size_t)(w + 1) + (size_t)xb] - sum[(size_t)ya * (size_t)(w + 1) + (size_t)xb] -
                         sum[(size_t)yb * (size_t)(w + 1) + (size_t)xa] + sum[(size_t)ya * (size_t)(w + 1) + (size_t)xa];
            long n = (long)(xb - xa) * (yb - ya);
            out[(size_t)y * (size_t)w + (size_t)x] =
                (long)g[(size_t)y * (size_t)w + (size_t)x] * n < (long)s - (long)c * n ? 0 : 255;
        }
    }
    memcpy(g, out, (size_t)w * (size_t)h);
    free(out);
    free(sum);
}

/* Scans the region [X0, X0+W) x [Y0, Y0+H) of PAGE (BINARY: thresholded first); adds
 * the codes found to OUT. */
static int scan_region(const struct zbar_api *z, zbar_image_scanner_t *scanner, const struct gray *page, int x0,
                       int y0, int w, int h, bool binary, struct found_code *out, int count, int max)
{
    if (w < 64 || h < 64)
        return count;
    uint8_t *buf = malloc((size_t)w * (size_t)h);
    if (!buf)
        return count;
    for (int y = 0; y < h; y++)
        memcpy(buf + (size_t)y * (size_t)w, page->px + (size_t)(y0 + y) * (size_t)page->w + (size_t)x0, (size_t)w);
    if (binary)
        binarize(buf, w, h, 10, 8);
    zbar_image_t *img = z->image_create();
    z->image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    z->image_set_size(img, (unsigned)w, (unsigned)h);
    z->image_set_data(img, buf, (unsigned long)w * (unsigned long)h, NULL);
    if (z->scan_image(scanner, img) > 0) {
        for (const zbar_symbol_t *s = z->image_first_symbol(img); s && count < max; s = z->symbol_next(s)) {
            const char *data = z->symbol_get_data(s);
            unsigned len = z->symbol_get_data_length(s);
            if (z->symbol_get_type(s) != ZBAR_QRCODE || len < 4 || len >= TRACK_CODE_MAX ||
                strncmp(data, "DSR", 3) != 0 || z->symbol_get_loc_size(s) != 4)
                continue;
            struct found_code *c = &out[count];
            memcpy(c->text, data, len);
            c->text[len] = '\0';
            for (int i = 0; i < 4; i++) {
                /* zbar's corners are pixel indices: the corner itself is half a pixel
                 * further out, which the fit absorbs. */
                c->x[i] = x0 + z->symbol_get_loc_x(s, (unsigned)i) + 0.5;
                c->y[i] = y0 + z->symbol_get_loc_y(s, (unsigned)i) + 0.5;
            }
            /* The same symbol found twice (overlapping regions) counts once. */
            bool again = false;
            for (int k = 0; k < count; k++)
                again |= strcmp(out[k].text, c->text) == 0 && fabs(out[k].x[0] - c->x[0]) < 8 &&
                         fabs(out[k].y[0] - c->y[0]) < 8;
            count += !again;
        }
    }
    z->image_destroy(img);
    free(buf);
    return count;
}

int locate_codes(const struct gray *page, struct found_code *out, int max)
{
    const struct zbar_api *z = zbar_lib();
    if (!z)
        return -1;
    zbar_image_scanner_t *scanner = z->scanner_create();
    z->scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 0);
    z->scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    int w = page->w, h = page->h, n = 0;
    /* The code is in the bottom left corner of an upright page, top right when the
     * page is upside down: a corner is a tenth of the page's pixels. */
    int cw = (int)(w * 0.42), ch = (int)(h * 0.24);
    static const struct { int corner; bool binary; } tries[] = {
        { 0, false }, { 0, true }, { 1, false }, { 1, true }, { 2, false }, { 2, true },
    };
    for (size_t t = 0; n == 0 && t < sizeof tries / sizeof *tries; t++) {
        bool binary = tries[t].binary;
        switch (tries[t].corner) {
        case 0: n = scan_region(z, scanner, page, 0, h - ch, cw, ch, binary, out, n, max); break;
        case 1: n = scan_region(z, scanner, page, w - cw, 0, cw, ch, binary, out, n, max); break;
        default: n = scan_region(z, scanner, page, 0, 0, w, h, binary, out, n, max); break;
        }
    }
    z->scanner_destroy(scanner);
    return n;
}

/* Solves the 3x3 system M v = R (Cramer); false when singular. */
static bool solve3(double m[3][3], const double r[3], double v[3])
{
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                 m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    if (fabs(det) < 1e-9)
        return false;
    for (int k = 0; k < 3; k++) {
        double t[3][3];
        memcpy(t, m, sizeof t);
        for (int i = 0; i < 3; i++)
            t[i][k] = r[i];
        v[k] = (t[0][0] * (t[1][1] * t[2][2] - t[1][2] * t[2][1]) - t[0][1] * (t[1][0] * t[2][2] - t[1][2] * t[2][0]) +
                t[0][2] * (t[1][0] * t[2][1] - t[1][1] * t[2][0])) / det;
    }
    return true;
}

bool affine_fit(const double *px, const double *py, const double *sx, const double *sy, int n, struct affine *out)
{
    double m[3][3] = { { 0 } }, rx[3] = { 0 }, ry[3] = { 0 };
    for (int i = 0; i < n; i++) {
        double row[3] = { px[i], py[i], 1 };
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++)
                m[a][b] += row[a] * row[b];
            rx[a] += row[a] * sx[i];
            ry[a] += row[a] * sy[i];
        }
    }
    double vx[3], vy[3];
    if (n < 3 || !solve3(m, rx, vx) || !solve3(m, ry, vy))
        return false;
    *out = (struct affine){ vx[0], vx[1], vx[2], vy[0], vy[1], vy[2] };
    return true;
}

void affine_apply(const struct affine *m, double x, double y, double *ox, double *oy)
{
    *ox = m->a * x + m->b * y + m->c;
    *oy = m->d * x + m->e * y + m->f;
}

double affine_scale(const struct affine *m)
{
    return sqrt(fabs(m->a * m->e - m->b * m->d));
}

double affine_angle(const struct affine *m)
{
    /* Page x runs along scan x on an upright page. */
    return atan2(m->d, m->a) * 180.0 / M_PI;
}
