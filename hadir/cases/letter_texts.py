"""The letters' default texts (Indonesian, as the letters are written) and the placeholders a
letter offers. Administrators edit the texts in the admin (LetterTemplate); these defaults fill
the table at migration and stand in for a kind that has no row."""

from __future__ import annotations

from dataclasses import dataclass

from hadir.cases.models import LetterKind, SignerRole

PLACEHOLDERS = {
    "nama": "nama pegawai",
    "nip": "NIP / nomor pegawai",
    "jenis_pegawai": "PNS, PPPK atau non-ASN",
    "unit": "unit kerja (kosong bila tidak ada)",
    "unit_kerja": "unit kerja dan OPD, atau OPD saja",
    "opd": "nama OPD",
    "pelanggaran": "dugaan pelanggaran",
    "dasar": "dasar pemeriksaan (temuan presensi, sidak, ambang, laporan)",
    "nomor": "nomor surat",
    "tanggal_surat": "tanggal surat",
    "tempat_surat": "tempat surat",
    "panggilan_ke": "pertama / kedua",
    "hari_pemeriksaan": "hari pemeriksaan",
    "tanggal_pemeriksaan": "tanggal pemeriksaan",
    "jam_pemeriksaan": "jam pemeriksaan",
    "tempat_pemeriksaan": "tempat pemeriksaan",
    "hasil_pemeriksaan": "catatan pemeriksaan (pertanyaan dan jawaban)",
    "keterangan_pegawai": "keterangan / pembelaan pegawai",
    "kehadiran": "hadir atau tidak hadir pada pemeriksaan",
    "hukuman": "hukuman disiplin yang dijatuhkan",
    "pertimbangan": "pertimbangan keputusan",
    "atasan_nama": "nama atasan langsung",
    "atasan_nip": "NIP atasan langsung",
    "kepala_nama": "nama Kepala OPD",
    "kepala_nip": "NIP Kepala OPD",
    "kepala_jabatan": "jabatan Kepala OPD",
}


@dataclass(frozen=True)
class DefaultText:
    title: str
    body: str
    signer: str


_SUMMONS = (
    "Dalam rangka pemeriksaan dugaan pelanggaran disiplin sebagaimana dimaksud dalam Peraturan "
    "Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil, dengan ini meminta "
    "kehadiran Saudara:\n\n"
    "Nama: {nama}\nNIP: {nip}\nUnit kerja: {unit_kerja}\n\n"
    "untuk menghadap kepada saya pada:\n\n"
    "Hari/tanggal: {hari_pemeriksaan}, {tanggal_pemeriksaan}\nJam: {jam_pemeriksaan}\n"
    "Tempat: {tempat_pemeriksaan}\n\n"
    "untuk diperiksa sehubungan dengan dugaan pelanggaran disiplin berupa {pelanggaran} "
    "(dasar: {dasar}).\n\n"
)

DEFAULTS: dict[str, DefaultText] = {
    LetterKind.SUMMONS_1: DefaultText(
        "SURAT PANGGILAN I",
        _SUMMONS
        + "Demikian untuk dilaksanakan. Apabila Saudara tidak memenuhi panggilan ini, akan "
        "dilakukan panggilan kedua.",
        SignerRole.SUPERVISOR,
    ),
    LetterKind.SUMMONS_2: DefaultText(
        "SURAT PANGGILAN II",
        _SUMMONS
        + "Panggilan ini merupakan panggilan kedua. Apabila Saudara tidak memenuhi panggilan "
        "ini, hukuman disiplin dijatuhkan berdasarkan alat bukti dan keterangan yang ada tanpa "
        "dilakukan pemeriksaan.",
        SignerRole.SUPERVISOR,
    ),
    LetterKind.EXAMINATION: DefaultText(
        "BERITA ACARA PEMERIKSAAN",
        "Pada hari ini {hari_pemeriksaan}, tanggal {tanggal_pemeriksaan}, bertempat di "
        "{tempat_pemeriksaan}, saya {atasan_nama}, NIP {atasan_nip}, selaku atasan langsung, "
        "telah melakukan pemeriksaan tertutup terhadap:\n\n"
        "Nama: {nama}\nNIP: {nip}\nUnit kerja: {unit_kerja}\n\n"
        "karena yang bersangkutan diduga melakukan pelanggaran disiplin berupa {pelanggaran} "
        "(dasar: {dasar}). Kehadiran pegawai: {kehadiran}.\n\n"
        "Hasil pemeriksaan:\n{hasil_pemeriksaan}\n\n"
        "Keterangan pegawai yang diperiksa:\n{keterangan_pegawai}\n\n"
        "Demikian berita acara pemeriksaan ini dibuat dengan sebenarnya untuk dipergunakan "
        "sebagaimana mestinya.",
        SignerRole.SUPERVISOR,
    ),
    LetterKind.TEGURAN_LISAN: DefaultText(
        "KEPUTUSAN PENJATUHAN HUKUMAN DISIPLIN TEGURAN LISAN",
        "Berdasarkan hasil pemeriksaan, Saudara {nama}, NIP {nip}, {unit_kerja}, terbukti "
        "melakukan pelanggaran disiplin berupa {pelanggaran}.\n\n"
        "Pertimbangan: {pertimbangan}\n\n"
        "Dengan ini menjatuhkan hukuman disiplin berupa {hukuman} sebagaimana dimaksud dalam "
        "Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil.\n\n"
        "Keputusan ini disampaikan secara langsung dan tertutup kepada yang bersangkutan dan "
        "mulai berlaku pada tanggal disampaikan.",
        SignerRole.OPD_HEAD,
    ),
    LetterKind.TEGURAN_TERTULIS: DefaultText(
        "KEPUTUSAN PENJATUHAN HUKUMAN DISIPLIN TEGURAN TERTULIS",
        "Berdasarkan hasil pemeriksaan, Saudara {nama}, NIP {nip}, {unit_kerja}, terbukti "
        "melakukan pelanggaran disiplin berupa {pelanggaran}.\n\n"
        "Pertimbangan: {pertimbangan}\n\n"
        "Dengan ini menjatuhkan hukuman disiplin tingkat ringan berupa {hukuman} sebagaimana "
        "dimaksud dalam Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri "
        "Sipil. Saudara diminta untuk tidak mengulangi perbuatan tersebut.\n\n"
        "Keputusan ini disampaikan secara langsung dan tertutup kepada yang bersangkutan dan "
        "mulai berlaku pada tanggal disampaikan.",
        SignerRole.OPD_HEAD,
    ),
    LetterKind.TIDAK_PUAS: DefaultText(
        "KEPUTUSAN PENJATUHAN HUKUMAN DISIPLIN PERNYATAAN TIDAK PUAS SECARA TERTULIS",
        "Berdasarkan hasil pemeriksaan, Saudara {nama}, NIP {nip}, {unit_kerja}, terbukti "
        "melakukan pelanggaran disiplin berupa {pelanggaran}.\n\n"
        "Pertimbangan: {pertimbangan}\n\n"
        "Dengan ini menyatakan tidak puas secara tertulis atas perbuatan Saudara dan menjatuhkan "
        "hukuman disiplin tingkat ringan berupa {hukuman} sebagaimana dimaksud dalam Peraturan "
        "Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil.\n\n"
        "Keputusan ini disampaikan secara langsung dan tertutup kepada yang bersangkutan dan "
        "mulai berlaku pada tanggal disampaikan.",
        SignerRole.OPD_HEAD,
    ),
    LetterKind.REFERRAL: DefaultText(
        "LAPORAN DUGAAN PELANGGARAN DISIPLIN",
        "Bersama ini kami laporkan bahwa Saudara {nama}, NIP {nip}, {unit_kerja}, diduga "
        "melakukan pelanggaran disiplin berupa {pelanggaran} (dasar: {dasar}).\n\n"
        "Pertimbangan: {pertimbangan}\n\n"
        "Berdasarkan hasil pemeriksaan, pelanggaran tersebut patut dijatuhi hukuman disiplin "
        "tingkat sedang atau berat yang menjadi kewenangan pejabat yang lebih tinggi. Oleh "
        "karena itu kami mohon agar pemeriksaan dan penjatuhan hukuman disiplin dilanjutkan "
        "sesuai dengan ketentuan Peraturan Pemerintah Nomor 94 Tahun 2021.",
        SignerRole.OPD_HEAD,
    ),
}
