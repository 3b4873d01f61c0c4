/*
** nsm_test.h: the includes every cmocka test program needs, in the order cmocka requires
** (cmocka.h uses va_list, size_t, uintmax_t and jmp_buf without including their headers).
*/
#ifndef NSM_TEST_H
#define NSM_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#endif
