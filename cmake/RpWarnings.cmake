# Warning flags for every target (STYLE.md B9). Warnings are errors everywhere.
set(RP_C_WARNINGS -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
    -Wno-unused-parameter -Werror)
set(RP_CXX_WARNINGS -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter -Werror)
add_compile_options("$<$<COMPILE_LANGUAGE:C>:${RP_C_WARNINGS}>"
                    "$<$<COMPILE_LANGUAGE:CXX>:${RP_CXX_WARNINGS}>")
