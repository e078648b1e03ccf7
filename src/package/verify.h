/* Verification of sealed containers (ASiC-E with a CAdES seal). */
#ifndef DOSSIER_VERIFY_H
#define DOSSIER_VERIFY_H

/* Checks the container at PATH, prints one line per problem, and returns 0 when it
 * is sound, 1 when a problem was found, 2 when it cannot be read. */
int verify_container_cli(const char *path, const char *ca_path);

#endif
