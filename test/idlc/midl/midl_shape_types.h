/* C types shared with code that never sees the IDL; midl_shapes.idl
 * #includes this header and its generated header includes it too. */
#ifndef MIDL_SHAPE_TYPES_H
#define MIDL_SHAPE_TYPES_H

#include <stdint.h>

typedef int32_t SHAPE_COORD;

typedef struct SHAPE_RECT {
    SHAPE_COORD left, top, right, bottom;
} SHAPE_RECT;

#endif
