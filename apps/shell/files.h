/* The shell's file commands, over the file system service "fs"
 * (idl/IFile.idl), found by name at their first use: wherever fs runs,
 * in the kernel or in a process, these are the same calls. */
#ifndef SHELL_FILES_H
#define SHELL_FILES_H

void cmd_ls(char *args);    /* ls [DIR]: names, sizes, <dir> */
void cmd_df(char *args);    /* df: the volume's size and free space */
void cmd_cat(char *args);   /* cat FILE */
void cmd_write(char *args); /* write FILE TEXT: FILE holds TEXT and a newline */
void cmd_mkdir(char *args); /* mkdir DIR */
void cmd_rm(char *args);    /* rm PATH: a file or an empty directory */
void cmd_mv(char *args);    /* mv FROM TO */

#endif
