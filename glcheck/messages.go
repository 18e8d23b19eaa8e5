package glcheck

import (
	"runtime"
	"strings"
)

// Message returns the title and text the clerk sees, in lang ("id" or "en"), with
// the fixes for this operating system.
func Message(p *Problem, lang string) (title, body string) {
	return message(p, lang, runtime.GOOS)
}

func message(p *Problem, lang, goos string) (title, body string) {
	t := texts[lang]
	if t == nil {
		t = texts["id"]
	}
	if p.Kind == NoDisplay {
		return t["display.title"], t["display.body"] + "\n\n" + t["headless"]
	}
	fixes := t["fix."+goos]
	if fixes == "" {
		fixes = t["fix.linux"]
	}
	return t["gl.title"], t["gl.body"] + "\n\n" + fixes + "\n\n" + t["headless"] + "\n" + t["more"]
}

// The texts are short sentences that end with a full stop (WORDING-id.md), and name
// the four fixes the issue tracker and the field have taught us about.
var texts = map[string]map[string]string{
	"en": {
		"gl.title": "KYC Desk cannot open its window: no OpenGL",
		"gl.body":  "KYC Desk needs OpenGL 2.1 to draw its window. This PC does not provide it. Ask IT for one of these fixes:",
		"fix.windows": strings.Join([]string{
			"• Update the graphics driver (from the PC maker, Intel, AMD or NVIDIA).",
			"• In a virtual machine, turn on 3D acceleration (VMware: Accelerate 3D graphics; VirtualBox: VMSVGA with Enable 3D Acceleration).",
			"• Over Remote Desktop, enable the policy \"Use hardware graphics adapters for all Remote Desktop Services sessions\" (GPU / RemoteFX for RDP).",
			"• Or place Mesa's software OpenGL (opengl32.dll from a Mesa for Windows build) next to kycdesk.exe.",
		}, "\n"),
		"fix.linux": strings.Join([]string{
			"• Update the graphics driver, or install Mesa's OpenGL (Debian/Ubuntu: libgl1-mesa-dri libglx-mesa0).",
			"• In a virtual machine, turn on 3D acceleration.",
			"• Over remote desktop (xrdp, VNC, Xvfb), use a display with the GLX extension.",
			"• Or use Mesa's software OpenGL: start KYC Desk with LIBGL_ALWAYS_SOFTWARE=1.",
		}, "\n"),
		"fix.darwin": strings.Join([]string{
			"• Update macOS.",
			"• In a virtual machine, turn on 3D acceleration.",
			"• Start KYC Desk from a logged-in desktop session, not over SSH.",
		}, "\n"),
		"display.title": "KYC Desk cannot open its window: no display",
		"display.body":  "KYC Desk found no desktop to open its window on (DISPLAY and WAYLAND_DISPLAY are not set). Start it from a desktop session.",
		"headless":      "The commands without a window keep working: kycdesk liveness, recognize, validate, token, history.",
		"more":          "Details: INSTALL.md, \"Remote Desktop, VDI and virtual machines\".",
	},
	"id": {
		"gl.title": "KYC Desk tidak dapat membuka jendela: OpenGL tidak tersedia",
		"gl.body":  "KYC Desk memerlukan OpenGL 2.1 untuk menampilkan jendelanya. PC ini tidak menyediakannya. Minta IT melakukan salah satu perbaikan berikut:",
		"fix.windows": strings.Join([]string{
			"• Perbarui driver kartu grafis (dari pembuat PC, Intel, AMD, atau NVIDIA).",
			"• Di mesin virtual, aktifkan akselerasi 3D (VMware: Accelerate 3D graphics; VirtualBox: VMSVGA dengan Enable 3D Acceleration).",
			"• Lewat Remote Desktop, aktifkan kebijakan \"Use hardware graphics adapters for all Remote Desktop Services sessions\" (GPU / RemoteFX untuk RDP).",
			"• Atau letakkan OpenGL perangkat lunak dari Mesa (opengl32.dll dari build Mesa untuk Windows) di samping kycdesk.exe.",
		}, "\n"),
		"fix.linux": strings.Join([]string{
			"• Perbarui driver kartu grafis, atau pasang OpenGL Mesa (Debian/Ubuntu: libgl1-mesa-dri libglx-mesa0).",
			"• Di mesin virtual, aktifkan akselerasi 3D.",
			"• Lewat remote desktop (xrdp, VNC, Xvfb), gunakan layar dengan ekstensi GLX.",
			"• Atau gunakan OpenGL perangkat lunak dari Mesa: jalankan KYC Desk dengan LIBGL_ALWAYS_SOFTWARE=1.",
		}, "\n"),
		"fix.darwin": strings.Join([]string{
			"• Perbarui macOS.",
			"• Di mesin virtual, aktifkan akselerasi 3D.",
			"• Jalankan KYC Desk dari sesi desktop yang sudah masuk, bukan lewat SSH.",
		}, "\n"),
		"display.title": "KYC Desk tidak dapat membuka jendela: tidak ada layar",
		"display.body":  "KYC Desk tidak menemukan desktop untuk membuka jendelanya (DISPLAY dan WAYLAND_DISPLAY tidak diatur). Jalankan dari sesi desktop.",
		"headless":      "Perintah tanpa jendela tetap berfungsi: kycdesk liveness, recognize, validate, token, history.",
		"more":          "Rincian: INSTALL.md, bagian \"Remote Desktop, VDI and virtual machines\".",
	},
}
