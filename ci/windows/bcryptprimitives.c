/* A stand-in for Windows' bcryptprimitives.dll, for running Rust programs under Wine 8 only.
 *
 * Rust's standard library (1.78+) asks bcryptprimitives.dll for ProcessPrng to fill its random
 * numbers (HashMap keys, temporary file names). Windows 10 and later have it; Wine 8 does not,
 * so a Rust .exe stops at start-up there. This shim answers from RtlGenRandom (exported by
 * advapi32 as SystemFunction036), which Wine has. It is built by .ci/run with MinGW and put on
 * Wine's DLL path; it is never shipped with skills-scan.exe. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
