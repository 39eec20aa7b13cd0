/* SPDX-License-Identifier: Apache-2.0 */
/* Date validator (dataid.h): a date of birth must be a real calendar day (no 31 April, no
 * 29 February outside leap years) of a year from 1901 to 2099. 1900 is left out on purpose:
 * 1900-01-01 and its like are the placeholders test data and unset fields are full of, and
 * nobody alive was born then. Day/month order is whatever reading gives a real day (a
 * DD/MM/YYYY or MM/DD/YYYY text is valid when either is). */
#define RP_LOG_MODULE "dataid"

#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_banned.h"

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool real_day(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1901 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
    return d <= days[m - 1] + (m == 2 && leap(y));
}

/* The month of an English month name starting at p (3+ letters), or 0. */
static int month_name(const char *p, size_t n)
{
    static const char *const names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
    if (n < 3) return 0;
    char w[3];
    for (int i = 0; i < 3; i++) w[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
    for (int m = 0; m < 12; m++)
        if (!memcmp(w, names[m], 3)) return m + 1;
    return 0;
}

static bool date_of_birth(const char *p, size_t n)
{
    int nums[3], lens[3], k = 0, month = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] >= '0' && p[i] <= '9') {
            int v = 0, l = 0;
            while (i < n && p[i] >= '0' && p[i] <= '9' && l < 5) v = v * 10 + (p[i++] - '0'), l++;
            if (k < 3) {
                nums[k] = v;
                lens[k++] = l;
            }
        } else if ((p[i] | 32) >= 'a' && (p[i] | 32) <= 'z') {
            size_t s = i;
            while (i < n && (p[i] | 32) >= 'a' && (p[i] | 32) <= 'z') i++;
            if (!month) month = month_name(p + s, i - s);
        } else {
            i++;
        }
    }
    if (month) { /* "March 14, 1985", "3 Apr 1990": a day and a year */
        if (k != 2) return false;
        int y = lens[0] == 4 ? nums[0] : nums[1], d = lens[0] == 4 ? nums[1] : nums[0];
        return real_day(y, month, d);
    }
    if (k != 3) return false;
    if (lens[0] == 4) return real_day(nums[0], nums[1], nums[2]); /* Y-M-D */
    if (lens[2] != 4) return false;
    return real_day(nums[2], nums[1], nums[0]) || real_day(nums[2], nums[0], nums[1]);
}

const struct rp_dataid_validator rp_dataid_val_date_of_birth = {
    .name = "date_of_birth",
    .summary = "a real calendar day of 1901-2099, day/month in either order",
    .validate = date_of_birth,
};
