/* Measures libharu 2.3.0's two ways of printing UTF-8 with an embedded TrueType font:
 * a single-byte encoding (CP1252) and the CID path (UTF-8, Identity-H). The README
 * quotes its numbers. Build: cc -O2 tools/font-probe.c -lhpdf -o probe; ./probe; ./probe cid */
#include <hpdf.h>
#include <stdio.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
int main(int argc,char**argv){
  int cid=argc>1;
  double t0=now(); size_t total=0;
  for(int i=0;i<20;i++){
    HPDF_Doc pdf=HPDF_New(NULL,NULL);
    HPDF_SetCompressionMode(pdf,HPDF_COMP_ALL);
    HPDF_Font f;
    if(cid){HPDF_UseUTFEncodings(pdf);const char*n=HPDF_LoadTTFontFromFile(pdf,"fonts/LiberationSans-Regular.ttf",HPDF_TRUE);f=HPDF_GetFont(pdf,n,"UTF-8");}
    else {const char*n=HPDF_LoadTTFontFromFile(pdf,"fonts/LiberationSans-Regular.ttf",HPDF_TRUE);f=HPDF_GetFont(pdf,n,"CP1252");}
    HPDF_Page p=HPDF_AddPage(pdf);
    HPDF_Page_BeginText(p);HPDF_Page_SetFontAndSize(p,f,12);HPDF_Page_TextOut(p,50,700,"Dossier de demande numero 600101 Brindille et Cie");HPDF_Page_EndText(p);
    HPDF_SaveToStream(pdf); total+=HPDF_GetStreamSize(pdf);
    HPDF_Free(pdf);
  }
  printf("%s: %.1f ms/doc, %zu bytes/doc\n", cid?"CID UTF-8":"CP1252", (now()-t0)/20, total/20);
}
