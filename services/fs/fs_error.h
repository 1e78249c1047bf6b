// The file system's error codes, SCODEs of facility 0x0B2 (FS). For now
// here; they move into idl/IFile.idl when the service and its objects land.
#ifndef SERVICES_FS_FS_ERROR_H
#define SERVICES_FS_FS_ERROR_H

#include <com/com.h>

#define FS_SCODE(code) ((SCODE)(0x80B20000u | (code)))

#define FS_E_IO            FS_SCODE(0x01) // the block device failed
#define FS_E_CORRUPT       FS_SCODE(0x02) // the image breaks FAT's rules
#define FS_E_NOT_FOUND     FS_SCODE(0x03) // no such file or directory
#define FS_E_EXISTS        FS_SCODE(0x04) // the name is taken
#define FS_E_NOT_DIR       FS_SCODE(0x05) // a path component is a file
#define FS_E_IS_DIR        FS_SCODE(0x06) // a file operation on a directory
#define FS_E_NOT_EMPTY     FS_SCODE(0x07) // removing a directory with entries
#define FS_E_FULL          FS_SCODE(0x08) // no free cluster or directory slot
#define FS_E_BAD_NAME      FS_SCODE(0x09) // empty, ".", "..", or a refused char
#define FS_E_NAME_TOO_LONG FS_SCODE(0x0A) // a component over 255 or a path over 260
#define FS_E_ACCESS        FS_SCODE(0x0B) // writing a file opened to read only
#define FS_E_TOO_BIG       FS_SCODE(0x0C) // beyond FAT's 4 GiB - 1 file size
#define FS_E_BAD_SEEK      FS_SCODE(0x0D) // a position before the start
#define FS_E_POISONED      FS_SCODE(0x0E) // corruption was seen: no more writes

#endif
