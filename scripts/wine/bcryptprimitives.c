/* A test-only stand-in for Windows 10's bcryptprimitives.dll, for the Wine smoke test
 * (scripts/smoke-windows). Rust's standard library for Windows asks this DLL for random bytes
 * (ProcessPrng); Debian 12's Wine 8 does not have it. Here ProcessPrng forwards to
 * RtlGenRandom (advapi32's SystemFunction036), which Wine has. Never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
