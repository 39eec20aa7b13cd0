/* SPDX-License-Identifier: Apache-2.0 */
/* Functions that are unsafe or not thread-safe become compile errors (Git's banned.h).
 * Include it last, after system headers. Use rp_str_*, snprintf, strtoll with end checks and
 * gmtime_r instead. */
#ifndef RP_BANNED_H
#define RP_BANNED_H

#define RP_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) RP_BANNED(strcpy)
#undef strcat
#define strcat(x, y) RP_BANNED(strcat)
#undef sprintf
#define sprintf(...) RP_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) RP_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) RP_BANNED(strtok)
#undef gmtime
#define gmtime(t) RP_BANNED(gmtime)
#undef localtime
#define localtime(t) RP_BANNED(localtime)
#undef atoi
#define atoi(x) RP_BANNED(atoi)
#undef atol
#define atol(x) RP_BANNED(atol)

#endif
