/* `crack -o`: the input capture again, as pcap with its own DLT, where every LL data PDU we decrypted
 * carries its plaintext (Core Vol 6 Part E: MIC removed and the header length reduced by 4, the CRC of
 * Vol 6 Part B §3.1.1 recomputed when CONNECT_IND gave CRCInit). Pseudo-header flags are set where the
 * DLT has them: DLT 256 decrypted + MIC checked + MIC valid; DLT 272/157 keep the nRF Sniffer's own
 * convention for packets it decrypted itself (plaintext in place, MIC and CRC kept, "encrypted" and
 * "MIC OK" set). */
#include "crack/crack_int.h"
#include "base/bytes.h"
#include "proto/ll.h"
#include "trace/trace_int.h"
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { DLT_NORDIC = 272, DLT_NORDIC_OLD = 157, DLT_LL_PHDR = 256 };

/* Rebuild one record into out (cap >= len + 16); returns the new length, or 0 to copy the record. */
static size_t rebuild(const struct ps_crack *c, uint32_t dlt, uint64_t number, const uint8_t *rec, size_t len,
		      uint8_t *out)
{
	uint8_t hdr0;
	const uint8_t *plain;
	size_t plen;
	uint32_t crc_init;
	bool crc_known;
	struct ps_frame f = { 0 };
	char why[8];
	if (ps_crack_plain(c, number, &hdr0, &plain, &plen, &crc_init, &crc_known) < 0)
		return 0;
	/* The frame numbers come from the trace reader; make sure this record is the PDU we decrypted. */
	if (ps_ll_phdr_parse(dlt, rec, len, &f, why, sizeof why) < 0 || f.len < 6 + plen + 4 || f.data[4] != hdr0 ||
	    f.data[5] != plen + 4)
		return 0;
	size_t aa_off = (size_t)(f.data - rec);
	size_t pdu_end = aa_off + 6 + plen + 4; /* end of the MIC */
	memcpy(out, rec, len);
	if (dlt == DLT_NORDIC || dlt == DLT_NORDIC_OLD) {
		memcpy(out + aa_off + 6, plain, plen);
		/* flags octet: legacy 0xBEEF header at 8, otherwise 8 too (board, 6-octet UART header, length). */
		out[8] |= 0x04 | 0x08;
		return len;
	}
	size_t n = 0;
	memcpy(out, rec, aa_off + 4);
	n = aa_off + 4;
	out[n++] = hdr0;
	out[n++] = (uint8_t)plen;
	memcpy(out + n, plain, plen);
	n += plen;
	if (f.ll.flags & PS_LL_HAS_CRC) {
		uint32_t crc = crc_known ? ps_ll_crc24(crc_init, out + aa_off + 4, 2 + plen) : 0;
		ps_put_le(out + n, crc, 3);
		n += 3;
		pdu_end += 3;
	}
	/* Anything the record held after the PDU stays. */
	if (len > pdu_end) {
		memcpy(out + n, rec + pdu_end, len - pdu_end);
		n += len - pdu_end;
	}
	if (dlt == DLT_LL_PHDR) {
		uint16_t fl = (uint16_t)ps_get_le(out + 8, 2);
		fl |= 0x0008 | 0x1000 | 0x2000;
		if (crc_known)
			fl |= 0x0400 | 0x0800;
		ps_put_le(out + 8, fl, 2);
	}
	return n;
}

int ps_crack_write_pcap(const struct ps_crack *c, const char *in, const char *outpath, char *err, size_t errcap)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline(in, ebuf);
	if (!p) {
		snprintf(err, errcap, "%s: -o rewrites link-layer sniffer captures (pcap/pcapng) only; this one is not "
			 "pcap: %s", in, ebuf);
		return -PS_EBADDATA;
	}
	uint32_t dlt = (uint32_t)pcap_datalink(p);
	if (!ps_ll_dlt_supported(dlt)) {
		snprintf(err, errcap, "%s: DLT %u is not a link-layer sniffer capture; -o writes sniffer captures only",
			 in, dlt);
		pcap_close(p);
		return -PS_EUNSUP;
	}
	pcap_t *dead = pcap_open_dead((int)dlt, 65535);
	size_t tl = strlen(outpath) + 16;
	char *tmp = malloc(tl);
	if (!dead || !tmp) {
		pcap_close(p);
		if (dead)
			pcap_close(dead);
		free(tmp);
		return -PS_ENOMEM;
	}
	snprintf(tmp, tl, "%s.tmpXXXXXX", outpath);
	/* An existing device or FIFO (/dev/null, /dev/stdout) is written into, never replaced by a rename;
	 * a directory is refused. */
	struct stat st;
	bool direct = stat(outpath, &st) == 0 && !S_ISREG(st.st_mode);
	if (direct && S_ISDIR(st.st_mode)) {
		snprintf(err, errcap, "%s: cannot write: is a directory", outpath);
		pcap_close(p);
		pcap_close(dead);
		free(tmp);
		return -PS_EINVAL;
	}
	int fd = direct ? open(outpath, O_WRONLY | O_TRUNC) : mkstemp(tmp);
	if (fd >= 0 && !direct)
		(void)fchmod(fd, 0644); /* mkstemp makes 0600; as convert writes */
	FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
	pcap_dumper_t *d = fp ? pcap_dump_fopen(dead, fp) : NULL;
	if (!d) {
		snprintf(err, errcap, "%s: cannot write: %s", outpath, fp ? pcap_geterr(dead) : "cannot create file");
		if (fp)
			fclose(fp);
		else if (fd >= 0)
			close(fd);
		if (fd >= 0 && !direct)
			unlink(tmp);
		pcap_close(p);
		pcap_close(dead);
		free(tmp);
		return -PS_EIO;
	}
	uint8_t *buf = malloc(65536 + 64);
	int replaced = 0, rc = 0;
	uint64_t number = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	while (buf && (rc = pcap_next_ex(p, &h, &data)) == 1) {
		number++;
		size_t n = h->caplen <= 65536 ? rebuild(c, dlt, number, data, h->caplen, buf) : 0;
		if (n) {
			struct pcap_pkthdr wh = *h;
			long delta = (long)n - (long)h->caplen;
			wh.caplen = (bpf_u_int32)n;
			wh.len = (bpf_u_int32)((long)h->len + delta);
			pcap_dump((u_char *)d, &wh, buf);
			replaced++;
		} else {
			pcap_dump((u_char *)d, h, data);
		}
	}
	free(buf);
	pcap_close(p);
	bool ok = pcap_dump_flush(d) == 0 && !ferror(pcap_dump_file(d)); /* a failed earlier write too */
	pcap_dump_close(d);
	pcap_close(dead);
	if (!ok || (!direct && rename(tmp, outpath) != 0)) {
		snprintf(err, errcap, "%s: cannot write the output", outpath);
		if (!direct)
			unlink(tmp);
		free(tmp);
		return -PS_EIO;
	}
	free(tmp);
	return replaced;
}
