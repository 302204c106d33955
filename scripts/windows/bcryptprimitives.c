/* For wine 8 only (Debian 12), which lacks bcryptprimitives.dll: Rust's
 * standard library asks it for random bytes (ProcessPrng) when a program
 * starts, for HashMap seeds. Windows 10 and later have the real DLL; this
 * stand-in, put next to gostdoc.exe by scripts/windows_check.sh, answers
 * through advapi32's RtlGenRandom, as Rust did before 1.78. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
    if (!RtlGenRandom(data, chunk)) return FALSE;
    data += chunk;
    len -= chunk;
  }
  return TRUE;
}
