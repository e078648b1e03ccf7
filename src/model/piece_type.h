/* Kinds of attached files, told apart by their first bytes. */
#ifndef DOSSIER_PIECE_TYPE_H
#define DOSSIER_PIECE_TYPE_H

enum piece_type { PIECE_NONE, PIECE_JPEG, PIECE_PNG, PIECE_PDF };

#endif
