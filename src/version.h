/* Version of the tool, printed by --version and written in reports. */
#ifndef DOSSIER_VERSION_H
#define DOSSIER_VERSION_H

#define DOSSIER_VERSION "0.1.0"
#define DOSSIER_VERSION_STRING "dossier " DOSSIER_VERSION

#endif
