# Turns the file IN into a C source OUT defining "const char NAME[]".
# Bytes are written as (char) casts so UTF-8 text compiles without
# narrowing warnings.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "(char)0x\\1," hex "${hex}")
file(WRITE ${OUT} "/* generated from ${IN}; do not edit */\nconst char ${NAME}[] = {${hex} 0x00};\n")
