/* Test-only stand-in for Windows' bcryptprimitives.dll, for running kycdesk.exe under
 * Wine 8 (Debian 12), which lacks it. Go 1.24+ takes its random numbers from
 * ProcessPrng in that DLL and refuses to start without it. Windows 10 and later have
 * the real one; this file never ships, it only goes into a throwaway Wine prefix. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len); /* RtlGenRandom, advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!SystemFunction036(data, n)) return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
