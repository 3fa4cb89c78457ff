/* HCI value names (Core 5.4 Vol 4 Part E §7; Assigned Numbers for company IDs and AD types), in
 * btmon 5.66's wording: each concept has one table, used by every printer, the importer and the doctor. */
#include "proto/hci.h"
#include <string.h>

/* HCI error codes (Core Vol 1 Part F §1.3): status values and disconnect reasons. */
const struct ps_name ps_names_hci_error[] = {
	{ 0x00, "Success" },
	{ 0x01, "Unknown HCI Command" },
	{ 0x02, "Unknown Connection Identifier" },
	{ 0x03, "Hardware Failure" },
	{ 0x04, "Page Timeout" },
	{ 0x05, "Authentication Failure" },
	{ 0x06, "PIN or Key Missing" },
	{ 0x07, "Memory Capacity Exceeded" },
	{ 0x08, "Connection Timeout" },
	{ 0x09, "Connection Limit Exceeded" },
	{ 0x0a, "Synchronous Connection Limit to a Device Exceeded" },
	{ 0x0b, "ACL Connection Already Exists" },
	{ 0x0c, "Command Disallowed" },
	{ 0x0d, "Connection Rejected due to Limited Resources" },
	{ 0x0e, "Connection Rejected due to Security Reasons" },
	{ 0x0f, "Connection Rejected due to Unacceptable BD_ADDR" },
	{ 0x10, "Connection Accept Timeout Exceeded" },
	{ 0x11, "Unsupported Feature or Parameter Value" },
	{ 0x12, "Invalid HCI Command Parameters" },
	{ 0x13, "Remote User Terminated Connection" },
	{ 0x14, "Remote Device Terminated due to Low Resources" },
	{ 0x15, "Remote Device Terminated due to Power Off" },
	{ 0x16, "Connection Terminated By Local Host" },
	{ 0x17, "Repeated Attempts" },
	{ 0x18, "Pairing Not Allowed" },
	{ 0x19, "Unknown LMP PDU" },
	{ 0x1a, "Unsupported Remote Feature / Unsupported LMP Feature" },
	{ 0x1b, "SCO Offset Rejected" },
	{ 0x1c, "SCO Interval Rejected" },
	{ 0x1d, "SCO Air Mode Rejected" },
	{ 0x1e, "Invalid LMP Parameters / Invalid LL Parameters" },
	{ 0x1f, "Unspecified Error" },
	{ 0x20, "Unsupported LMP Parameter Value / " },
	{ 0x21, "Role Change Not Allowed" },
	{ 0x22, "LMP Response Timeout / LL Response Timeout" },
	{ 0x23, "LMP Error Transaction Collision" },
	{ 0x24, "LMP PDU Not Allowed" },
	{ 0x25, "Encryption Mode Not Acceptable" },
	{ 0x26, "Link Key cannot be Changed" },
	{ 0x27, "Requested QoS Not Supported" },
	{ 0x28, "Instant Passed" },
	{ 0x29, "Pairing With Unit Key Not Supported" },
	{ 0x2a, "Different Transaction Collision" },
	{ 0x2b, "Reserved" },
	{ 0x2c, "QoS Unacceptable Parameter" },
	{ 0x2d, "QoS Rejected" },
	{ 0x2e, "Channel Classification Not Supported" },
	{ 0x2f, "Insufficient Security" },
	{ 0x30, "Parameter Out Of Manadatory Range" },
	{ 0x31, "Reserved" },
	{ 0x32, "Role Switch Pending" },
	{ 0x33, "Reserved" },
	{ 0x34, "Reserved Slot Violation" },
	{ 0x35, "Role Switch Failed" },
	{ 0x36, "Extended Inquiry Response Too Large" },
	{ 0x37, "Secure Simple Pairing Not Supported By Host" },
	{ 0x38, "Host Busy - Pairing" },
	{ 0x39, "Connection Rejected due to No Suitable Channel Found" },
	{ 0x3a, "Controller Busy" },
	{ 0x3b, "Unacceptable Connection Parameters" },
	{ 0x3c, "Advertising Timeout" },
	{ 0x3d, "Connection Terminated due to MIC Failure" },
	{ 0x3e, "Connection Failed to be Established" },
	{ 0x3f, "MAC Connection Failed" },
	{ 0x40, "Coarse Clock Adjustment Rejected " },
	{ 0x41, "Type0 Submap Not Defined" },
	{ 0x42, "Unknown Advertising Identifier" },
	{ 0x43, "Limit Reached" },
	{ 0x44, "Operation Cancelled by Host" },
	{ 0x45, "Packet Too Long" },
	{ 0, NULL },
};
/* Set Event Mask bits (Vol 4 Part E §7.3.1), by bit number. */
const struct ps_name ps_names_hci_evmask[] = {
	{ 0, "Inquiry Complete" },
	{ 1, "Inquiry Result" },
	{ 2, "Connection Complete" },
	{ 3, "Connection Request" },
	{ 4, "Disconnection Complete" },
	{ 5, "Authentication Complete" },
	{ 6, "Remote Name Request Complete" },
	{ 7, "Encryption Change" },
	{ 8, "Change Connection Link Key Complete" },
	{ 9, "Link Key Type Changed" },
	{ 10, "Read Remote Supported Features Complete" },
	{ 11, "Read Remote Version Information Complete" },
	{ 12, "QoS Setup Complete" },
	{ 13, "Command Complete" },
	{ 14, "Command Status" },
	{ 15, "Hardware Error" },
	{ 16, "Flush Occurred" },
	{ 17, "Role Change" },
	{ 18, "Number of Completed Packets" },
	{ 19, "Mode Change" },
	{ 20, "Return Link Keys" },
	{ 21, "PIN Code Request" },
	{ 22, "Link Key Request" },
	{ 23, "Link Key Notification" },
	{ 24, "Loopback Command" },
	{ 25, "Data Buffer Overflow" },
	{ 26, "Max Slots Change" },
	{ 27, "Read Clock Offset Complete" },
	{ 28, "Connection Packet Type Changed" },
	{ 29, "QoS Violation" },
	{ 30, "Page Scan Mode Change" },
	{ 31, "Page Scan Repetition Mode Change" },
	{ 32, "Flow Specification Complete" },
	{ 33, "Inquiry Result with RSSI" },
	{ 34, "Read Remote Extended Features Complete" },
	{ 43, "Synchronous Connection Complete" },
	{ 44, "Synchronous Connection Changed" },
	{ 45, "Sniff Subrating" },
	{ 46, "Extended Inquiry Result" },
	{ 47, "Encryption Key Refresh Complete" },
	{ 48, "IO Capability Request" },
	{ 49, "IO Capability Request Reply" },
	{ 50, "User Confirmation Request" },
	{ 51, "User Passkey Request" },
	{ 52, "Remote OOB Data Request" },
	{ 53, "Simple Pairing Complete" },
	{ 55, "Link Supervision Timeout Changed" },
	{ 56, "Enhanced Flush Complete" },
	{ 58, "User Passkey Notification" },
	{ 59, "Keypress Notification" },
	{ 60, "Remote Host Supported Features Notification" },
	{ 61, "LE Meta" },
	{ 0, NULL },
};
/* Set Event Mask Page 2 bits (§7.3.69), by bit number. */
const struct ps_name ps_names_hci_evmask2[] = {
	{ 0, "Physical Link Complete" },
	{ 1, "Channel Selected" },
	{ 2, "Disconnection Physical Link Complete" },
	{ 3, "Physical Link Loss Early Warning" },
	{ 4, "Physical Link Recovery" },
	{ 5, "Logical Link Complete" },
	{ 6, "Disconnection Logical Link Complete" },
	{ 7, "Flow Specification Modify Complete" },
	{ 8, "Number of Completed Data Blocks" },
	{ 9, "AMP Start Test" },
	{ 10, "AMP Test End" },
	{ 11, "AMP Receiver Report" },
	{ 12, "Short Range Mode Change Complete" },
	{ 13, "AMP Status Change" },
	{ 14, "Triggered Clock Capture" },
	{ 15, "Synchronization Train Complete" },
	{ 16, "Synchronization Train Received" },
	{ 17, "Connectionless Peripheral Broadcast Receive" },
	{ 18, "Connectionless Peripheral Broadcast Timeout" },
	{ 19, "Truncated Page Complete" },
	{ 20, "Peripheral Page Response Timeout" },
	{ 21, "Connectionless Peripheral Broadcast Channel Map Change" },
	{ 22, "Inquiry Response Notification" },
	{ 23, "Authenticated Payload Timeout Expired" },
	{ 24, "SAM Status Change" },
	{ 0, NULL },
};
/* LE Set Event Mask bits (§7.8.1), by bit number. */
const struct ps_name ps_names_le_evmask[] = {
	{ 0, "LE Connection Complete" },
	{ 1, "LE Advertising Report" },
	{ 2, "LE Connection Update Complete" },
	{ 3, "LE Read Remote Used Features Complete" },
	{ 4, "LE Long Term Key Request" },
	{ 5, "LE Remote Connection Parameter Request" },
	{ 6, "LE Data Length Change" },
	{ 7, "LE Read Local P-256 Public Key Complete" },
	{ 8, "LE Generate DHKey Complete" },
	{ 9, "LE Enhanced Connection Complete" },
	{ 10, "LE Direct Advertising Report" },
	{ 11, "LE PHY Update Complete" },
	{ 12, "LE Extended Advertising Report" },
	{ 13, "LE Periodic Advertising Sync Established" },
	{ 14, "LE Periodic Advertising Report" },
	{ 15, "LE Periodic Advertising Sync Lost" },
	{ 16, "LE Extended Scan Timeout" },
	{ 17, "LE Extended Advertising Set Terminated" },
	{ 18, "LE Scan Request Received" },
	{ 19, "LE Channel Selection Algorithm" },
	{ 24, "LE CIS Established" },
	{ 25, "LE CIS Request" },
	{ 26, "LE Create BIG Complete" },
	{ 27, "LE Terminate BIG Complete" },
	{ 28, "LE BIG Sync Estabilished Complete" },
	{ 29, "LE BIG Sync Lost" },
	{ 0, NULL },
};
/* AD Flags bits (CSS Part A §1.3), by bit number. */
const struct ps_name ps_names_ad_flags[] = {
	{ 0, "LE Limited Discoverable Mode" },
	{ 1, "LE General Discoverable Mode" },
	{ 2, "BR/EDR Not Supported" },
	{ 3, "Simultaneous LE and BR/EDR (Controller)" },
	{ 4, "Simultaneous LE and BR/EDR (Host)" },
	{ 0, NULL },
};
const struct ps_name ps_names_event_filter_type[] = {
	{ 0x00, "Clear All Filters" }, { 0x01, "Inquiry Result" }, { 0x02, "Connection Setup" }, { 0, NULL },
};
const struct ps_name ps_names_adv_type[] = {
	{ 0x00, "Connectable undirected - ADV_IND" },
	{ 0x01, "Connectable directed - ADV_DIRECT_IND (high duty cycle)" },
	{ 0x02, "Scannable undirected - ADV_SCAN_IND" },
	{ 0x03, "Non connectable undirected - ADV_NONCONN_IND" },
	{ 0x04, "Connectable directed - ADV_DIRECT_IND (low duty cycle)" },
	{ 0, NULL },
};
const struct ps_name ps_names_adv_report_type[] = {
	{ 0x00, "Connectable undirected - ADV_IND" },
	{ 0x01, "Connectable directed - ADV_DIRECT_IND" },
	{ 0x02, "Scannable undirected - ADV_SCAN_IND" },
	{ 0x03, "Non connectable undirected - ADV_NONCONN_IND" },
	{ 0x04, "Scan response - SCAN_RSP" },
	{ 0, NULL },
};
/* Own address type: 0x02/0x03 (RPA with fallback) print as their base type in btmon 5.66. */
const struct ps_name ps_names_own_addr_type[] = {
	{ 0x00, "Public" }, { 0x01, "Random" }, { 0x02, "Public" }, { 0x03, "Random" }, { 0, NULL },
};
const struct ps_name ps_names_peer_addr_type[] = {
	{ 0x00, "Public" }, { 0x01, "Random" }, { 0x02, "Resolved Public" }, { 0x03, "Resolved Random" },
	{ 0, NULL },
};
const struct ps_name ps_names_adv_channels[] = {
	{ 0x01, "37" }, { 0x02, "38" }, { 0x03, "37, 38" }, { 0x04, "39" }, { 0x05, "37, 39" },
	{ 0x06, "38, 39" }, { 0x07, "37, 38, 39" }, { 0, NULL },
};
const struct ps_name ps_names_adv_filter_policy[] = {
	{ 0x00, "Allow Scan Request from Any, Allow Connect Request from Any" },
	{ 0x01, "Allow Scan Request from Accept List Only, Allow Connect Request from Any" },
	{ 0x02, "Allow Scan Request from Any, Allow Connect Request from Accept List Only" },
	{ 0x03, "Allow Scan Request from Accept List Only, Allow Connect Request from Accept List Only" },
	{ 0, NULL },
};
const struct ps_name ps_names_enable[] = {
	{ 0x00, "Disabled" }, { 0x01, "Enabled" }, { 0, NULL },
};
const struct ps_name ps_names_scan_type[] = {
	{ 0x00, "Passive" }, { 0x01, "Active" }, { 0, NULL },
};
const struct ps_name ps_names_scan_filter_policy[] = {
	{ 0x00, "Accept all advertisement" },
	{ 0x01, "Ignore not in accept list" },
	{ 0x02, "Accept all advertisement, inc. directed unresolved RPA" },
	{ 0x03, "Ignore not in accept list, exc. directed unresolved RPA" },
	{ 0, NULL },
};
const struct ps_name ps_names_conn_filter_policy[] = {
	{ 0x00, "Accept list is not used" }, { 0x01, "Accept list is used" }, { 0, NULL },
};
const struct ps_name ps_names_all_phys[] = {
	{ 0x01, "No TX PHY preference" }, { 0x02, "No RX PHY preference" }, { 0, NULL },
};
const struct ps_name ps_names_phys[] = {
	{ 0x01, "LE 1M" }, { 0x02, "LE 2M" }, { 0x04, "LE Coded" }, { 0, NULL },
};
const struct ps_name ps_names_phy_opts[] = {
	{ 0x0001, "S2 coding" }, { 0x0002, "S8 coding" }, { 0, NULL },
};
const struct ps_name ps_names_le_phy[] = {
	{ 0x01, "LE 1M" }, { 0x02, "LE 2M" }, { 0x03, "LE Coded" }, { 0, NULL },
};
const struct ps_name ps_names_ext_adv_props[] = {
	{ 0x0001, "Connectable" }, { 0x0002, "Scannable" }, { 0x0004, "Directed" },
	{ 0x0008, "High Duty Cycle Directed Connectable" }, { 0x0010, "Use legacy advertising PDUs" },
	{ 0x0020, "Anonymous advertising" }, { 0x0040, "Include TxPower" }, { 0, NULL },
};
/* The PDU a legacy event type selects (Core 5.4 Vol 4 Part E §7.8.53 Table 7.2; §7.7.65.13 Table 7.1). */
const struct ps_name ps_names_legacy_adv_pdu[] = {
	{ 0x10, "ADV_NONCONN_IND" }, { 0x12, "ADV_SCAN_IND" }, { 0x13, "ADV_IND" },
	{ 0x15, "ADV_DIRECT_IND (low duty cycle)" }, { 0x1d, "ADV_DIRECT_IND (high duty cycle)" }, { 0, NULL },
};
const struct ps_name ps_names_legacy_report_pdu[] = {
	{ 0x10, "ADV_NONCONN_IND" }, { 0x12, "ADV_SCAN_IND" }, { 0x13, "ADV_IND" }, { 0x15, "ADV_DIRECT_IND" },
	{ 0x1a, "SCAN_RSP to an ADV_IND" }, { 0x1b, "SCAN_RSP to an ADV_SCAN_IND" }, { 0, NULL },
};
/* LE Extended Advertising Report PHYs as btmon names them (no hex), the SID's special value */
const struct ps_name ps_names_ext_primary_phy[] = { { 0x01, "LE 1M" }, { 0x03, "LE Coded" }, { 0, NULL } };
const struct ps_name ps_names_ext_secondary_phy[] = {
	{ 0x00, "No packets" }, { 0x01, "LE 1M" }, { 0x02, "LE 2M" }, { 0x03, "LE Coded" }, { 0, NULL },
};
const struct ps_name ps_names_sid[] = { { 0xff, "no ADI field" }, { 0, NULL } };
const struct ps_name ps_names_cte_type[] = {
	{ 0x00, "AoA Constant Tone Extension" }, { 0x01, "AoA Constant Tone Extension with 1us slots" },
	{ 0x02, "AoD Constant Tone Extension with 2us slots" }, { 0xff, "No Constant Tone Extension" }, { 0, NULL },
};
/* Broadcom Update UART Baud Rate: 0 means the explicit rate is used */
const struct ps_name ps_names_bcm_baud[] = { { 0x0000, "Not used" }, { 0, NULL } };
const struct ps_name ps_names_ext_adv_report_props[] = {
	{ 0x0001, "Connectable" }, { 0x0002, "Scannable" }, { 0x0004, "Directed" },
	{ 0x0008, "Scan response" }, { 0x0010, "Use legacy advertising PDUs" }, { 0, NULL },
};
const struct ps_name ps_names_ext_adv_operation[] = {
	{ 0x00, "Immediate fragment" }, { 0x01, "First fragment" }, { 0x02, "Last fragment" },
	{ 0x03, "Complete extended advertising data" }, { 0x04, "Unchanged data" }, { 0, NULL },
};
const struct ps_name ps_names_ext_scan_rsp_operation[] = {
	{ 0x00, "Immediate fragment" }, { 0x01, "First fragment" }, { 0x02, "Last fragment" },
	{ 0x03, "Complete scan response data" }, { 0x04, "Unchanged data" }, { 0, NULL },
};
const struct ps_name ps_names_ext_adv_frag[] = {
	{ 0x00, "Fragment all" }, { 0x01, "Minimize fragmentation" }, { 0, NULL },
};
const struct ps_name ps_names_priv_mode[] = {
	{ 0x00, "Use Network Privacy" }, { 0x01, "Use Device Privacy" }, { 0, NULL },
};
const struct ps_name ps_names_bt_version[] = {
	{ 0x00, "Bluetooth 1.0b" }, { 0x01, "Bluetooth 1.1" }, { 0x02, "Bluetooth 1.2" },
	{ 0x03, "Bluetooth 2.0" }, { 0x04, "Bluetooth 2.1" }, { 0x05, "Bluetooth 3.0" },
	{ 0x06, "Bluetooth 4.0" }, { 0x07, "Bluetooth 4.1" }, { 0x08, "Bluetooth 4.2" },
	{ 0x09, "Bluetooth 5.0" }, { 0x0a, "Bluetooth 5.1" }, { 0x0b, "Bluetooth 5.2" },
	{ 0x0c, "Bluetooth 5.3" }, { 0x0d, "Bluetooth 5.4" }, { 0, NULL },
};
/* Company identifiers btmon names that pairscope's traces meet (Assigned Numbers §7). */
const struct ps_name ps_names_company[] = {
	{ 0, "Ericsson Technology Licensing" }, { 2, "Intel Corp." }, { 6, "Microsoft" },
	{ 10, "Cambridge Silicon Radio" }, { 13, "Texas Instruments Inc." },
	{ 15, "Broadcom Corporation" }, { 29, "Qualcomm" }, { 48, "ST Microelectronics" },
	{ 69, "Atheros Communications, Inc." }, { 76, "Apple, Inc." },
	{ 89, "Nordic Semiconductor ASA" }, { 93, "Realtek Semiconductor Corporation" },
	{ 117, "Samsung Electronics Co. Ltd." }, { 224, "Google" }, { 305, "Cypress Semiconductor" },
	{ 1521, "The Linux Foundation" }, { 65535, "internal use" }, { 0, NULL },
};
const struct ps_name ps_names_link_type[] = {
	{ 0x00, "SCO" }, { 0x01, "ACL" }, { 0x02, "eSCO" }, { 0, NULL },
};
/* Encryption Change: value 1 is renamed per link type by the printer (PS_FMT_ENCRYPT). */
const struct ps_name ps_names_encr_mode[] = {
	{ 0x00, "Disabled" }, { 0x01, "Enabled" }, { 0x02, "Enabled with AES-CCM" }, { 0, NULL },
};
const struct ps_name ps_names_role[] = {
	{ 0x00, "Central" }, { 0x01, "Peripheral" }, { 0, NULL },
};
const struct ps_name ps_names_chan_algo[] = {
	{ 0x00, "#1" }, { 0x01, "#2" }, { 0, NULL },
};
/* AD types (CSS Part A §1, Assigned Numbers §2.3): names for JSON and summaries. */
const struct ps_name ps_names_ad_type[] = {
	{ 0x01, "Flags" }, { 0x02, "16-bit Service UUIDs (partial)" },
	{ 0x03, "16-bit Service UUIDs (complete)" }, { 0x06, "128-bit Service UUIDs (partial)" },
	{ 0x07, "128-bit Service UUIDs (complete)" }, { 0x08, "Name (short)" },
	{ 0x09, "Name (complete)" }, { 0x0a, "TX power" }, { 0x16, "Service Data" },
	{ 0x19, "Appearance" }, { 0xff, "Company" }, { 0, NULL },
};
/* Sleep clock accuracy of LE Request Peer SCA Complete (Core 5.4 Vol 4 Part E §7.7.65.31), btmon's ranges */
const struct ps_name ps_names_sca[] = {
	{ 0x00, "201 - 500 ppm" }, { 0x01, "151 - 200 ppm" }, { 0x02, "101 - 150 ppm" }, { 0x03, "76 - 100 ppm" },
	{ 0x04, "51 - 75 ppm" }, { 0x05, "31 - 50 ppm" }, { 0x06, "21 - 30 ppm" }, { 0x07, "0 - 20 ppm" }, { 0, NULL },
};
/* BIGInfo framing (§7.7.65.34) */
const struct ps_name ps_names_framing[] = { { 0x00, "Unframed" }, { 0x01, "Framed" }, { 0, NULL } };
/* LE Path Loss Threshold zone (§7.7.65.32) */
const struct ps_name ps_names_path_loss_zone[] = {
	{ 0x00, "Low" }, { 0x01, "Middle" }, { 0x02, "High" }, { 0, NULL },
};
/* LE Transmit Power Reporting reason, PHY and flags (§7.7.65.33) */
const struct ps_name ps_names_tx_power_reason[] = {
	{ 0x00, "Local transmit power changed" }, { 0x01, "Remote transmit power changed" },
	{ 0x02, "Read remote transmit power level complete" }, { 0, NULL },
};
const struct ps_name ps_names_tx_power_phy[] = {
	{ 0x01, "LE 1M" }, { 0x02, "LE 2M" }, { 0x03, "LE Coded S=8" }, { 0x04, "LE Coded S=2" }, { 0, NULL },
};
const struct ps_name ps_names_tx_power_flags[] = {
	{ 0x01, "Minimum" }, { 0x02, "Maximum" }, { 0, NULL },
};
const struct ps_name ps_names_pa_data_status[] = {
	{ 0x00, "Complete" }, { 0x01, "Incomplete, more data to come" },
	{ 0x02, "Incomplete, data truncated, no more to come" }, { 0, NULL },
};
const struct ps_name ps_names_bus_type[] = {
	{ 0, "Virtual" }, { 1, "USB" }, { 2, "PCCARD" }, { 3, "UART" }, { 4, "RS232" }, { 5, "PCI" },
	{ 6, "SDIO" }, { 7, "SPI" }, { 8, "I2C" }, { 9, "SMD" }, { 10, "VIRTIO" }, { 0, NULL },
};
const struct ps_name ps_names_dev_type[] = {
	{ 0, "Primary" }, { 1, "AMP" }, { 0, NULL },
};

/* IEEE OUIs btmon's hwdb names for public addresses in our traces (others print "OUI XX-XX-XX"). */
const struct ps_name ps_names_oui[] = {
	{ 0xb827eb, "Raspberry Pi Foundation" },
	{ 0xdca632, "Raspberry Pi Trading Ltd" },
	{ 0xe45f01, "Raspberry Pi Trading Ltd" },
	{ 0x001a7d, "cyber-blue(HK)Ltd" },
	{ 0, NULL },
};

const char *ps_company_name(uint16_t id)
{
	const char *s = ps_name_of(ps_names_company, id);
	return s ? s : "not assigned";
}

/* btmon before 5.63 used the Core 5.2 wording; --legacy-names prints it. */
static const struct {
	const char *now, *then;
} legacy[] = {
	{ "Central", "Master" },
	{ "Peripheral", "Slave" },
	{ "Central clock accuracy", "Master clock accuracy" },
	{ "Peripheral latency", "Slave latency" },
	{ "Accept list is not used", "White list is not used" },
	{ "Accept list is used", "White list is used" },
	{ "Ignore not in accept list", "Ignore not in white list" },
	{ "Central Identification", "Master Identification" },
	{ "LE Read Accept List Size", "LE Read White List Size" },
	{ "LE Clear Accept List", "LE Clear White List" },
	{ "LE Add Device To Accept List", "LE Add Device To White List" },
	{ "LE Remove Device From Accept List", "LE Remove Device From White List" },
};

const char *ps_legacy_name(const char *s)
{
	for (size_t i = 0; i < PS_ARRAY_SIZE(legacy); i++)
		if (strcmp(legacy[i].now, s) == 0)
			return legacy[i].then;
	return NULL;
}

/* GAP Appearance values (Assigned Numbers §2.6) as btmon 5.66 names them: a category is a multiple of
 * 64, its sub-categories follow it; "Undefined" closes the ranges btmon knows nothing about. */
static const struct ps_name appearance[] = {
	{ 0, "Unknown" }, { 64, "Phone" }, { 128, "Computer" }, { 192, "Watch" }, { 193, "Sports Watch" },
	{ 256, "Clock" }, { 320, "Display" }, { 384, "Remote Control" }, { 448, "Eye-glasses" }, { 512, "Tag" },
	{ 576, "Keyring" }, { 640, "Media Player" }, { 704, "Barcode Scanner" }, { 768, "Thermometer" },
	{ 769, "Thermometer: Ear" }, { 832, "Heart Rate Sensor" }, { 833, "Heart Rate Belt" },
	{ 896, "Blood Pressure" }, { 897, "Blood Pressure: Arm" }, { 898, "Blood Pressure: Wrist" },
	{ 960, "Human Interface Device" }, { 961, "Keyboard" }, { 962, "Mouse" }, { 963, "Joystick" },
	{ 964, "Gamepad" }, { 965, "Digitizer Tablet" }, { 966, "Card Reader" }, { 967, "Digital Pen" },
	{ 968, "Barcode Scanner" }, { 1024, "Glucose Meter" }, { 1088, "Running Walking Sensor" },
	{ 1089, "Running Walking Sensor: In-Shoe" }, { 1090, "Running Walking Sensor: On-Shoe" },
	{ 1091, "Running Walking Sensor: On-Hip" }, { 1152, "Cycling" }, { 1153, "Cycling: Cycling Computer" },
	{ 1154, "Cycling: Speed Sensor" }, { 1155, "Cycling: Cadence Sensor" }, { 1156, "Cycling: Power Sensor" },
	{ 1157, "Cycling: Speed and Cadence Sensor" }, { 1216, "Undefined" }, { 3136, "Pulse Oximeter" },
	{ 3137, "Pulse Oximeter: Fingertip" }, { 3138, "Pulse Oximeter: Wrist Worn" }, { 3200, "Weight Scale" },
	{ 3264, "Undefined" }, { 5184, "Outdoor Sports Activity" }, { 5185, "Location Display Device" },
	{ 5186, "Location and Navigation Display Device" }, { 5187, "Location Pod" },
	{ 5188, "Location and Navigation Pod" }, { 5248, "Undefined" }, { 0, NULL },
};

const char *ps_appearance_name(uint16_t v)
{
	const char *cat = appearance[0].s;
	for (const struct ps_name *n = appearance; n->s; n++) {
		if (n->v % 64 == 0) {
			if (n->v > v)
				break;
			cat = n->s;
		}
		if (n->v == v)
			return n->s;
	}
	return cat; /* an unknown sub-category: its category's name */
}
