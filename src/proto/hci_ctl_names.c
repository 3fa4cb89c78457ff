/* Value names of the BR/EDR and controller-baseband HCI parameters (Core 5.4 Vol 4 Part E §7.1-7.7),
 * btmon 5.66 wording; values without a name print as "Reserved". */
#include "proto/hci.h"

#include <stdio.h>

/* §7.3.18 Scan_Enable */
const struct ps_name ps_names_scan_enable[] = {
	{ 0x00, "No Scans" }, { 0x01, "Inquiry Scan" }, { 0x02, "Page Scan" },
	{ 0x03, "Inquiry Scan + Page Scan" }, { 0, NULL },
};
/* §7.1.1 LAP: the general and limited inquiry access codes (Assigned Numbers, Baseband §2.2) */
const struct ps_name ps_names_iac_lap[] = {
	{ 0x9e8b33, "General Inquiry" }, { 0x9e8b00, "Limited Inquiry" }, { 0, NULL },
};
/* §7.3.56 FEC_Required */
const struct ps_name ps_names_eir_fec[] = { { 0x00, "Not required" }, { 0x01, "Required" }, { 0, NULL } };
/* §7.1.5 Packet_Type: bit masks, in bit order; the EDR bits say which may NOT be used */
const struct ps_name ps_names_pkt_type[] = {
	{ 0x0002, "2-DH1 may not be used" }, { 0x0004, "3-DH1 may not be used" }, { 0x0008, "DM1 may be used" },
	{ 0x0010, "DH1 may be used" },       { 0x0100, "2-DH3 may not be used" }, { 0x0200, "3-DH3 may not be used" },
	{ 0x0400, "DM3 may be used" },       { 0x0800, "DH3 may be used" },       { 0x1000, "2-DH5 may not be used" },
	{ 0x2000, "3-DH5 may not be used" }, { 0x4000, "DM5 may be used" },       { 0x8000, "DH5 may be used" },
	{ 0, NULL },
};
/* §7.1.5 Allow_Role_Switch */
const struct ps_name ps_names_role_switch[] = {
	{ 0x00, "Stay central" }, { 0x01, "Allow peripheral" }, { 0, NULL },
};
/* §7.4.8 Standard codec IDs (Assigned Numbers §2.11) */
const struct ps_name ps_names_codec_id[] = {
	{ 0x00, "u-law log" }, { 0x01, "A-law log" }, { 0x02, "CVSD" }, { 0x03, "Transparent" },
	{ 0x04, "Linear PCM" }, { 0x05, "mSBC" }, { 0x06, "LC3" }, { 0xff, "Vendor specific" }, { 0, NULL },
};
/* §7.3.52 Page_Scan_Type */
const struct ps_name ps_names_page_scan_type[] = {
	{ 0x00, "Standard Scan" }, { 0x01, "Interlaced Scan" }, { 0, NULL },
};
/* §7.3.50 Inquiry_Mode */
const struct ps_name ps_names_inquiry_mode[] = {
	{ 0x00, "Standard Inquiry Result" }, { 0x01, "Inquiry Result with RSSI" },
	{ 0x02, "Inquiry Result with RSSI or Extended Inquiry Result" }, { 0, NULL },
};
/* §7.3.38 Flow_Control_Enable */
const struct ps_name ps_names_host_flow_control[] = {
	{ 0x00, "Off" }, { 0x01, "ACL Data Packets" }, { 0x02, "Synchronous Data Packets" },
	{ 0x03, "ACL and Synchronous Data Packets" }, { 0, NULL },
};
/* §7.2.10 Link_Policy_Settings: bit numbers, printed like an event mask */
const struct ps_name ps_names_link_policy[] = {
	{ 0, "Enable Role Switch" }, { 1, "Enable Hold Mode" }, { 2, "Enable Sniff Mode" },
	{ 3, "Enable Park State" }, { 0, NULL },
};
/* §7.1.19 Page_Scan_Repetition_Mode, Page_Scan_Mode (legacy) */
const struct ps_name ps_names_pscan_rep_mode[] = {
	{ 0x00, "R0" }, { 0x01, "R1" }, { 0x02, "R2" }, { 0, NULL },
};
const struct ps_name ps_names_pscan_period_mode[] = {
	{ 0x00, "P0" }, { 0x01, "P1" }, { 0x02, "P2" }, { 0, NULL },
};
const struct ps_name ps_names_pscan_mode[] = {
	{ 0x00, "Mandatory" }, { 0x01, "Optional I" }, { 0x02, "Optional II" }, { 0x03, "Optional III" },
	{ 0, NULL },
};
/* §7.1.29 IO_Capability, OOB_Data_Present, Authentication_Requirements */
const struct ps_name ps_names_io_capability[] = {
	{ 0x00, "DisplayOnly" }, { 0x01, "DisplayYesNo" }, { 0x02, "KeyboardOnly" },
	{ 0x03, "NoInputNoOutput" }, { 0, NULL },
};
const struct ps_name ps_names_oob_data[] = {
	{ 0x00, "Authentication data not present" }, { 0x01, "Authentication data present" }, { 0, NULL },
};
const struct ps_name ps_names_bredr_auth_req[] = {
	{ 0x00, "No Bonding - MITM not required" },        { 0x01, "No Bonding - MITM required" },
	{ 0x02, "Dedicated Bonding - MITM not required" }, { 0x03, "Dedicated Bonding - MITM required" },
	{ 0x04, "General Bonding - MITM not required" },   { 0x05, "General Bonding - MITM required" },
	{ 0, NULL },
};
/* §7.7.20 Current_Mode */
const struct ps_name ps_names_link_mode[] = {
	{ 0x00, "Active" }, { 0x01, "Hold" }, { 0x02, "Sniff" }, { 0x03, "Park" }, { 0, NULL },
};
/* §7.7.24 Key_Type */
const struct ps_name ps_names_link_key_type[] = {
	{ 0x00, "Combination key" },
	{ 0x01, "Local Unit key" },
	{ 0x02, "Remote Unit key" },
	{ 0x03, "Debug Combination key" },
	{ 0x04, "Unauthenticated Combination key from P-192" },
	{ 0x05, "Authenticated Combination key from P-192" },
	{ 0x06, "Changed Combination key" },
	{ 0x07, "Unauthenticated Combination key from P-256" },
	{ 0x08, "Authenticated Combination key from P-256" },
	{ 0, NULL },
};

/* Class of Device (Assigned Numbers, Baseband §2.8): btmon 5.66's major and minor names. */
static const struct ps_name dev_major[] = {
	{ 0x00, "Miscellaneous" },
	{ 0x01, "Computer (desktop, notebook, PDA, organizers)" },
	{ 0x02, "Phone (cellular, cordless, payphone, modem)" },
	{ 0x03, "LAN /Network Access point" },
	{ 0x04, "Audio/Video (headset, speaker, stereo, video, vcr)" },
	{ 0x05, "Peripheral (mouse, joystick, keyboards)" },
	{ 0x06, "Imaging (printing, scanner, camera, display)" },
	{ 0x07, "Wearable" },
	{ 0x08, "Toy" },
	{ 0x09, "Health" },
	{ 0x1f, "Uncategorized, specific device code not specified" },
	{ 0, NULL },
};
static const struct ps_name minor_computer[] = {
	{ 0x00, "Uncategorized, code for device not assigned" },
	{ 0x01, "Desktop workstation" }, { 0x02, "Server-class computer" }, { 0x03, "Laptop" },
	{ 0x04, "Handheld PC/PDA (clam shell)" }, { 0x05, "Palm sized PC/PDA" },
	{ 0x06, "Wearable computer (Watch sized)" }, { 0x07, "Tablet" }, { 0, NULL },
};
static const struct ps_name minor_phone[] = {
	{ 0x00, "Uncategorized, code for device not assigned" },
	{ 0x01, "Cellular" }, { 0x02, "Cordless" }, { 0x03, "Smart phone" },
	{ 0x04, "Wired modem or voice gateway" }, { 0x05, "Common ISDN Access" }, { 0, NULL },
};
static const struct ps_name minor_av[] = {
	{ 0x00, "Uncategorized, code for device not assigned" },
	{ 0x01, "Wearable Headset Device" }, { 0x02, "Hands-free Device" }, { 0x04, "Microphone" },
	{ 0x05, "Loudspeaker" }, { 0x06, "Headphones" }, { 0x07, "Portable Audio" }, { 0x08, "Car audio" },
	{ 0x09, "Set-top box" }, { 0x0a, "HiFi Audio Device" }, { 0x0b, "VCR" }, { 0x0c, "Video Camera" },
	{ 0x0d, "Camcorder" }, { 0x0e, "Video Monitor" }, { 0x0f, "Video Display and Loudspeaker" },
	{ 0x10, "Video Conferencing" }, { 0x12, "Gaming/Toy" }, { 0, NULL },
};
static const struct ps_name minor_wearable[] = {
	{ 0x01, "Wrist Watch" }, { 0x02, "Pager" }, { 0x03, "Jacket" }, { 0x04, "Helmet" }, { 0x05, "Glasses" },
	{ 0, NULL },
};
/* service class bits 16-23 */
static const char *const dev_service[8] = {
	"Positioning (Location identification)", "Networking (LAN, Ad hoc)", "Rendering (Printing, Speaker)",
	"Capturing (Scanner, Microphone)",       "Object Transfer (v-Inbox, v-Folder)",
	"Audio (Speaker, Microphone, Headset)",  "Telephony (Cordless telephony, Modem, Headset)",
	"Information (WEB-server, WAP-server)",
};

unsigned ps_dev_class_lines(uint32_t cls, struct ps_sub_lines *t)
{
	unsigned n = 0;
	if (cls & 0x03) { /* only format type 0 is defined */
		snprintf(t->buf[0], sizeof t->buf[0], "Format type: 0x%02x", (unsigned)(cls & 0x03));
		t->line[n++] = t->buf[0];
		t->line[n++] = "invalid format type";
		return n;
	}
	unsigned major = cls >> 8 & 0x1f, minor = cls >> 2 & 0x3f;
	const char *s = ps_name_of(dev_major, major);
	if (s)
		snprintf(t->buf[0], sizeof t->buf[0], "Major class: %s", s);
	else
		snprintf(t->buf[0], sizeof t->buf[0], "Major class: 0x%02x", major);
	t->line[n++] = t->buf[0];
	const struct ps_name *mt = major == 0x01 ? minor_computer : major == 0x02 ? minor_phone
				 : major == 0x04 ? minor_av : major == 0x07 ? minor_wearable : NULL;
	s = mt ? ps_name_of(mt, minor) : NULL;
	if (s)
		snprintf(t->buf[1], sizeof t->buf[1], "Minor class: %s", s);
	else
		snprintf(t->buf[1], sizeof t->buf[1], "Minor class: 0x%02x", minor);
	t->line[n++] = t->buf[1];
	if (cls & 0x2000)
		t->line[n++] = "Limited Discoverable Mode";
	if (cls & 0xc000) { /* reserved bits: btmon stops here */
		t->line[n++] = "invalid service class";
		return n;
	}
	for (unsigned b = 0; b < 8; b++)
		if (cls >> (16 + b) & 1)
			t->line[n++] = dev_service[b];
	return n;
}

/* LMP feature pages 1 and 2 (Vol 2 Part C §3.3, Table 3.2), by bit number; page 0 is
 * ps_names_lmp_features (hci_bits.c). */
static const struct ps_name lmp_features_p1[] = {
	{ 0, "Secure Simple Pairing (Host Support)" },
	{ 1, "LE Supported (Host)" },
	{ 2, "Simultaneous LE and BR/EDR (Host)" },
	{ 3, "Secure Connections (Host Support)" },
	{ 0, NULL },
};
static const struct ps_name lmp_features_p2[] = {
	{ 0, "Connectionless Peripheral Broadcast - Central" },
	{ 1, "Connectionless Peripheral Broadcast - Peripheral" },
	{ 2, "Synchronization Train" },
	{ 3, "Synchronization Scan" },
	{ 4, "Inquiry Response Notification Event" },
	{ 5, "Generalized interlaced scan" },
	{ 6, "Coarse Clock Adjustment" },
	{ 8, "Secure Connections (Controller Support)" },
	{ 9, "Ping" },
	{ 10, "Slot Availability Mask" },
	{ 11, "Train nudging" },
	{ 0, NULL },
};

const struct ps_name *ps_lmp_feature_names(unsigned page)
{
	switch (page) {
	case 0: return ps_names_lmp_features;
	case 1: return lmp_features_p1;
	case 2: return lmp_features_p2;
	default: return NULL;
	}
}

/* Voice_Setting (Vol 4 Part E §6.12): the lines btmon 5.66 prints; sample size and padding only for
 * linear input coding. */
unsigned ps_voice_setting_lines(uint16_t v, struct ps_sub_lines *t)
{
	static const char *const format[4] = { "1's complement", "2's complement", "Sign-Magnitude", "Unsigned" };
	static const char *const in_coding[4] = { "Input Coding: Linear", "Input Coding: u-law",
						  "Input Coding: A-law", "Input Coding: Reserved" };
	unsigned n = 0;
	t->line[n++] = in_coding[v >> 8 & 3];
	snprintf(t->buf[0], sizeof t->buf[0], "Input Data Format: %s", format[v >> 6 & 3]);
	t->line[n++] = t->buf[0];
	if ((v >> 8 & 3) == 0) {
		t->line[n++] = v & 0x20 ? "Input Sample Size: 16-bit" : "Input Sample Size: 8-bit";
		snprintf(t->buf[1], sizeof t->buf[1], "# of bits padding at MSB: %u", (unsigned)(v >> 2 & 7));
		t->line[n++] = t->buf[1];
	}
	static const char *const air_line[4] = { "Air Coding Format: CVSD", "Air Coding Format: u-law",
						 "Air Coding Format: A-law", "Air Coding Format: Transparent Data" };
	t->line[n++] = air_line[v & 3];
	return n;
}
