// Debian's libxml2 is built with ICU; its ICU declarations clash with the copy
// inside Foundation ("'UErrorCode' has different definitions"). Herald never
// uses libxml2's ICU encoders, so switch them off before the other headers.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlwriter.h>
#include <libxml/xmlstring.h>
#include <libxml/xmlIO.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/xmlreader.h>
