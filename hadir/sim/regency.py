"""A simulated regency, planned as plain data: Kotawaringin Timur around Sampit.

`plan_regency(seed)` decides everything (OPDs, units, workplaces with geofences, employees with
NIPs, supervisors, workplaces and home locations) without touching the database, so the fraud
evaluation can replay a month of check-ins against the same people and places. The same seed
gives the same plan, byte for byte (`RegencyPlan.to_json()`): every draw comes from a
`random.Random` seeded here, never from the global generator or the clock.

Coordinates look real but are invented; public networks come from the documentation ranges
(RFC 5737) and BSSIDs are locally administered MAC addresses, so none of them is anyone's.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from hadir.domain.geo import METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LON_EQUATOR, Geofence
from hadir.domain.nip import PPPK_MONTH_MARKER

# Values of the Django choices in hadir.org.models, repeated here to keep this module pure.
GOOD, POOR, NONE = "good", "poor", "none"
REQUIRED, OPTIONAL, OFF = "required", "optional", "off"
PNS, PPPK, NON_ASN = "PNS", "PPPK", "NON_ASN"
TIME_ZONE = "Asia/Jakarta"  # Kotawaringin Timur is in WIB

KEPALA_OPD, UNIT_HEAD, STAFF = "kepala_opd", "unit_head", "staff"
TEACHER, HEALTH, GENERAL = "teacher", "health", "general"
OFFICE, SCHOOL, CLINIC = "office", "school", "health"

TYPE_MIX = {PNS: 0.55, PPPK: 0.20, NON_ASN: 0.25}
MIN_EMPLOYEES_PER_OPD = 4
STAFF_PER_UNIT = 5
LATEST_APPOINTMENT_YEAR = 2025  # no appointment after the plan's reference year
SECOND_WORKPLACE_SHARE = 0.3  # teachers and health staff who also work at a second place

# ---------------------------------------------------------------------------------------------
# The regency as data.


@dataclass(frozen=True)
class _WorkplaceSpec:
    suffix: str
    name: str
    address: str
    lat: float
    lon: float
    shape: str  # circle, rect, pentagon
    size: str  # s, m, l
    purpose: str = OFFICE
    tier: str = GOOD


@dataclass(frozen=True)
class _OpdSpec:
    code: str
    name: str
    kind: str
    weight: float  # share of the employees
    units: tuple[tuple[str, str], ...]
    workplaces: tuple[_WorkplaceSpec, ...]
    job: str = GENERAL  # the functional job most of its staff do
    job_share: float = 0.0
    head_titles: tuple[str, ...] = (
        "{}, S.E., M.M.",
        "{}, S.H., M.H.",
        "{}, S.Sos., M.Si.",
        "{}, S.STP., M.AP.",
    )


def _wp(suffix, name, address, lat, lon, shape="circle", size="m", purpose=OFFICE, tier=GOOD):
    return _WorkplaceSpec(suffix, name, address, lat, lon, shape, size, purpose, tier)


_SEKRE = ("SEKRE", "Sekretariat")
_HEALTH_HEADS = ("dr. {}, M.Kes.", "dr. {}, M.P.H.")
_KECAMATAN_UNITS = (
    ("SEKRE", "Sekretariat Kecamatan"),
    ("SEKSI-PEM", "Seksi Pemerintahan"),
    ("SEKSI-TRANTIB", "Seksi Ketenteraman dan Ketertiban Umum"),
    ("SEKSI-PMD", "Seksi Pemberdayaan Masyarakat dan Desa"),
)
_KECAMATAN_HEADS = ("{}, S.STP., M.Si.", "{}, S.Sos., M.AP.")
_PUSKESMAS_UNITS = (
    ("TU", "Subbagian Tata Usaha"),
    ("UKP", "Upaya Kesehatan Perorangan"),
    ("UKM", "Upaya Kesehatan Masyarakat"),
)
_SCHOOL_HEADS = ("{}, S.Pd., M.Pd.", "{}, S.Pd.")

# Tumbang Kalang and Bukit Santuai lie up the Mentaya river, hours from Sampit.
_TUMBANG_KALANG = (-1.3505, 112.6021)
_BUKIT_SANTUAI = (-1.8012, 112.6998)

# The tables below are data, laid out by hand as tables; the formatter leaves them alone.
# fmt: off
OPD_SPECS: tuple[_OpdSpec, ...] = (
    _OpdSpec("SETDA", "Sekretariat Daerah", "sekretariat", 7, (
        ("BAG-UMUM", "Bagian Umum"), ("BAG-PEM", "Bagian Tata Pemerintahan"),
        ("BAG-HUKUM", "Bagian Hukum"), ("BAG-ORG", "Bagian Organisasi"),
        ("BAG-PBJ", "Bagian Pengadaan Barang dan Jasa")), (
        _wp("KANTOR", "Kantor Bupati Kotawaringin Timur", "Jl. Jenderal Sudirman, Sampit",
            -2.5392, 112.9489, "rect", "l"),
    )),
    _OpdSpec("DISDIK", "Dinas Pendidikan", "dinas", 12, (
        _SEKRE, ("BID-PAUD", "Bidang PAUD dan Pendidikan Nonformal"),
        ("BID-SD", "Bidang Pembinaan Sekolah Dasar"), ("BID-SMP", "Bidang Pembinaan SMP"),
        ("BID-GTK", "Bidang Guru dan Tenaga Kependidikan")), (
        _wp("KANTOR", "Kantor Dinas Pendidikan", "Jl. Jenderal Sudirman Km 2, Sampit",
            -2.5451, 112.9402),
        _wp("SDN1-BHU", "SDN 1 Baamang Hulu", "Jl. Tjilik Riwut, Baamang", -2.5188, 112.9612,
            purpose=SCHOOL),
        _wp("SDN2-MBH", "SDN 2 Mentawa Baru Hilir", "Jl. Pelita, Sampit", -2.5526, 112.9556,
            "pentagon", purpose=SCHOOL),
        _wp("TKN-PEMBINA", "TK Negeri Pembina Sampit", "Jl. Iskandar, Sampit", -2.5297,
            112.9441, size="s", purpose=SCHOOL),
    ), TEACHER, 0.55, ("{}, S.Pd., M.Pd.", "{}, S.E., M.M.")),
    _OpdSpec("DINKES", "Dinas Kesehatan", "dinas", 5, (
        _SEKRE, ("BID-KESMAS", "Bidang Kesehatan Masyarakat"),
        ("BID-P2P", "Bidang Pencegahan dan Pengendalian Penyakit"),
        ("BID-YANKES", "Bidang Pelayanan dan Sumber Daya Kesehatan")), (
        _wp("KANTOR", "Kantor Dinas Kesehatan", "Jl. Jenderal Sudirman Km 3, Sampit", -2.5478,
            112.9368),
        _wp("LABKESDA", "Laboratorium Kesehatan Daerah", "Jl. Jenderal Sudirman Km 3, Sampit",
            -2.5489, 112.9381, size="s", purpose=CLINIC),
    ), HEALTH, 0.3, _HEALTH_HEADS),
    _OpdSpec("RSUD", "RSUD dr. Murjani", "rsud", 14, (
        ("BAG-TU", "Bagian Tata Usaha"), ("BID-MEDIS", "Bidang Pelayanan Medis"),
        ("BID-KEP", "Bidang Keperawatan"), ("BID-PENUNJANG", "Bidang Penunjang Medis"),
        ("IGD", "Instalasi Gawat Darurat")), (
        _wp("UTAMA", "RSUD dr. Murjani, Gedung Utama", "Jl. H.M. Arsyad, Sampit", -2.5343,
            112.9580, "rect", "l", CLINIC),
        _wp("POLI", "RSUD dr. Murjani, Gedung Poliklinik", "Jl. H.M. Arsyad, Sampit", -2.5331,
            112.9603, purpose=CLINIC),
    ), HEALTH, 0.7, _HEALTH_HEADS),
    _OpdSpec("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas", 6, (
        _SEKRE, ("BID-BM", "Bidang Bina Marga"), ("BID-SDA", "Bidang Sumber Daya Air"),
        ("BID-CK", "Bidang Cipta Karya"), ("BID-TR", "Bidang Penataan Ruang")), (
        _wp("KANTOR", "Kantor Dinas PUPR", "Jl. Jenderal Sudirman Km 5, Sampit", -2.5502,
            112.9421, "rect"),
        _wp("UPT-ALAT", "UPT Peralatan dan Perbengkelan", "Jl. Jenderal Sudirman Km 6, Sampit",
            -2.5561, 112.9395, "pentagon", "l"),
    ), head_titles=("Ir. {}, M.T.", "{}, S.T., M.T.")),
    _OpdSpec("BAPPEDA", "Badan Perencanaan Pembangunan Daerah (Bappeda)", "badan", 3, (
        _SEKRE, ("BID-EKON", "Bidang Perekonomian dan Sumber Daya Alam"),
        ("BID-PPM", "Bidang Pemerintahan dan Pembangunan Manusia"),
        ("BID-LITBANG", "Bidang Penelitian dan Pengembangan")), (
        _wp("KANTOR", "Kantor Bappeda", "Jl. Jenderal Sudirman, Sampit", -2.5405, 112.9468),
    )),
    _OpdSpec("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", 3, (
        _SEKRE, ("BID-MUTASI", "Bidang Mutasi dan Promosi"),
        ("BID-PPI", "Bidang Pengadaan, Pemberhentian dan Informasi"),
        ("BID-PSDM", "Bidang Pengembangan Sumber Daya Manusia")), (
        _wp("KANTOR", "Kantor BKPSDM", "Jl. Jenderal Sudirman, Sampit", -2.5399, 112.9455,
            size="s"),
    )),
    _OpdSpec("INSPEKTORAT", "Inspektorat", "inspektorat", 2.5, (
        _SEKRE, ("IRBAN-1", "Inspektur Pembantu Wilayah I"),
        ("IRBAN-2", "Inspektur Pembantu Wilayah II"),
        ("IRBAN-3", "Inspektur Pembantu Wilayah III")), (
        _wp("KANTOR", "Kantor Inspektorat", "Jl. S. Parman, Sampit", -2.5368, 112.9512,
            size="s"),
    )),
    _OpdSpec("SATPOLPP", "Satuan Polisi Pamong Praja", "satpol_pp", 5, (
        _SEKRE, ("BID-TIBUM", "Bidang Ketertiban Umum dan Ketenteraman Masyarakat"),
        ("BID-GAKDA", "Bidang Penegakan Peraturan Daerah"),
        ("BID-LINMAS", "Bidang Perlindungan Masyarakat")), (
        _wp("MARKAS", "Markas Satpol PP", "Jl. Ahmad Yani, Sampit", -2.5425, 112.9536,
            "pentagon"),
        _wp("POS-TAMAN", "Pos Jaga Taman Kota Sampit", "Jl. Ahmad Yani, Sampit", -2.5379,
            112.9570, size="s"),
    )),
    _OpdSpec("DISHUB", "Dinas Perhubungan", "dinas", 3.5, (
        _SEKRE, ("BID-LLAJ", "Bidang Lalu Lintas dan Angkutan Jalan"),
        ("BID-SUNGAI", "Bidang Perhubungan Laut dan Sungai")), (
        _wp("KANTOR", "Kantor Dinas Perhubungan", "Jl. Jenderal Sudirman Km 4, Sampit",
            -2.5528, 112.9407),
        _wp("TERMINAL", "Terminal Patih Rumbih", "Jl. Jenderal Sudirman Km 7, Sampit",
            -2.5583, 112.9372, "rect", "l"),
    )),
    _OpdSpec("DINSOS", "Dinas Sosial", "dinas", 2.5, (
        _SEKRE, ("BID-LINJAMSOS", "Bidang Perlindungan dan Jaminan Sosial"),
        ("BID-REHSOS", "Bidang Rehabilitasi Sosial")), (
        _wp("KANTOR", "Kantor Dinas Sosial", "Jl. Tjilik Riwut, Sampit", -2.5262, 112.9548),
    )),
    _OpdSpec("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas",
             2.5, (
        _SEKRE, ("BID-PERIZINAN", "Bidang Pelayanan Perizinan"),
        ("BID-PM", "Bidang Penanaman Modal")), (
        _wp("MPP", "Mal Pelayanan Publik Sampit", "Jl. Jenderal Sudirman, Sampit", -2.5417,
            112.9477, "rect"),
    )),
    _OpdSpec("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", 3.5, (
        _SEKRE, ("BID-DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk"),
        ("BID-CAPIL", "Bidang Pelayanan Pencatatan Sipil"),
        ("BID-PIAK", "Bidang Pengelolaan Informasi Administrasi Kependudukan")), (
        _wp("KANTOR", "Kantor Disdukcapil", "Jl. Christopel Mihing, Sampit", -2.5315, 112.9472),
    )),
    _OpdSpec("KEC-MBK", "Kecamatan Mentawa Baru Ketapang", "kecamatan", 3, _KECAMATAN_UNITS, (
        _wp("KANTOR", "Kantor Camat Mentawa Baru Ketapang", "Jl. D.I. Panjaitan, Sampit",
            -2.5462, 112.9584),
    ), head_titles=_KECAMATAN_HEADS),
    _OpdSpec("KEC-BAAMANG", "Kecamatan Baamang", "kecamatan", 3, _KECAMATAN_UNITS, (
        _wp("KANTOR", "Kantor Camat Baamang", "Jl. Tjilik Riwut, Baamang", -2.5214, 112.9589,
            "pentagon"),
    ), head_titles=_KECAMATAN_HEADS),
    _OpdSpec("KEC-ANTANG", "Kecamatan Antang Kalang", "kecamatan", 2, _KECAMATAN_UNITS, (
        _wp("KANTOR", "Kantor Camat Antang Kalang", "Tumbang Kalang, Antang Kalang",
            _TUMBANG_KALANG[0], _TUMBANG_KALANG[1], tier=POOR),
    ), head_titles=_KECAMATAN_HEADS),
    _OpdSpec("KEC-BUKIT", "Kecamatan Bukit Santuai", "kecamatan", 1.5, _KECAMATAN_UNITS, (
        _wp("KANTOR", "Kantor Camat Bukit Santuai", "Bukit Santuai", _BUKIT_SANTUAI[0],
            _BUKIT_SANTUAI[1], "rect", tier=NONE),
    ), head_titles=_KECAMATAN_HEADS),
    _OpdSpec("PKM-KTP1", "Puskesmas Ketapang I", "puskesmas", 4, _PUSKESMAS_UNITS, (
        _wp("INDUK", "Puskesmas Ketapang I", "Jl. Muchran Ali, Sampit", -2.5488, 112.9631,
            "pentagon", purpose=CLINIC),
        _wp("PUSTU", "Puskesmas Pembantu Ketapang", "Jl. Pramuka, Sampit", -2.5567, 112.9658,
            size="s", purpose=CLINIC),
    ), HEALTH, 0.7, _HEALTH_HEADS),
    _OpdSpec("PKM-TBGKALANG", "Puskesmas Tumbang Kalang", "puskesmas", 2.5, _PUSKESMAS_UNITS, (
        _wp("INDUK", "Puskesmas Tumbang Kalang", "Tumbang Kalang, Antang Kalang", -1.3478,
            112.5989, "rect", purpose=CLINIC, tier=POOR),
        _wp("PUSTU", "Puskesmas Pembantu Hulu Kalang", "Hulu Kalang, Antang Kalang", -1.2821,
            112.5512, size="s", purpose=CLINIC, tier=NONE),
    ), HEALTH, 0.7, _HEALTH_HEADS),
    _OpdSpec("SMPN1-SPT", "SMP Negeri 1 Sampit", "sekolah", 4, (
        ("TU", "Tata Usaha"), ("WAKA-KUR", "Wakil Kepala Bidang Kurikulum"),
        ("WAKA-SIS", "Wakil Kepala Bidang Kesiswaan")), (
        _wp("KAMPUS", "SMP Negeri 1 Sampit", "Jl. Jenderal Sudirman, Sampit", -2.5414, 112.9527,
            "rect", purpose=SCHOOL),
    ), TEACHER, 0.75, _SCHOOL_HEADS),
    _OpdSpec("SDN-BUKIT", "SD Negeri 1 Bukit Santuai", "sekolah", 1.5, (
        ("TU", "Tata Usaha"), ("GURU", "Guru Kelas")), (
        _wp("SEKOLAH", "SD Negeri 1 Bukit Santuai", "Bukit Santuai", -1.7962, 112.6954,
            purpose=SCHOOL, tier=NONE),
    ), TEACHER, 0.7, _SCHOOL_HEADS),
)

# Names from across Indonesia, weighted roughly like Kotawaringin Timur: Banjar, Dayak and
# Javanese families first, then Madurese, Bugis, Sundanese, Batak, Minang, Minahasa/Maluku.
_M, _F = "L", "P"
NAME_GROUPS: dict[str, dict] = {
    "banjar": {"weight": 30, "prefix": {_M: ("Muhammad", "Ahmad", "Abdul", "H."), _F: ("Siti",)},
               _M: ("Rahman", "Fauzan", "Rizky", "Noor", "Syahrani", "Husin", "Jumberi", "Ramli",
                    "Saberan", "Fahmi", "Hairul", "Khairil", "Rusdi", "Mahdi", "Yusran",
                    "Zainal", "Fahrurrazi", "Gazali", "Ridha", "Anshari", "Taufik", "Basri"),
               _F: ("Rahmah", "Aisyah", "Hamidah", "Fatimah", "Jamilah", "Normila",
                    "Noorhasanah", "Mahrita", "Rusmini", "Fitriani", "Halimah", "Nurul Hidayah",
                    "Rabiatul Adawiyah", "Masniah", "Raudah", "Salasiah", "Khairunnisa"),
               "second": {_M: ("Hidayat", "Effendi", "Arsyad", "Ilmi", "Rahmadi", "Ansyari"),
                          _F: ("Wati", "Hayati", "Rahmawati", "Aulia", "Zahra")}},
    "dayak": {"weight": 24, "prefix": {_M: (), _F: ()},
              _M: ("Yohanes", "Agustinus", "Fransiskus", "Yulius", "Benediktus", "Markus",
                   "Petrus", "Dedi", "Riban", "Uria", "Elia", "Simon", "Natanael", "Kristian",
                   "Yosua", "Heriyanto", "Sabinus", "Lukas", "Rinto", "Junaedi"),
              _F: ("Yuliana", "Maria", "Natalia", "Kristina", "Debora", "Elisabeth", "Rosalina",
                   "Mariati", "Yenni", "Irawati", "Lusiana", "Febriana", "Sinta", "Meri",
                   "Novita", "Herlina"),
              "family": ("Dohong", "Tundjung", "Bungai", "Tingang", "Nyahu", "Rangkap",
                         "Lambung", "Anggen", "Ringkai", "Penyang", "Tambun", "Ilas", "Sangen",
                         "Kiting", "Rahu", "Sandan", "Mihing", "Djaban", "Usup", "Nahan")},
    "jawa": {"weight": 22, "prefix": {_M: (), _F: ()},
             _M: ("Agus", "Budi", "Slamet", "Joko", "Bambang", "Sutrisno", "Heru", "Wahyu",
                  "Eko", "Dwi", "Teguh", "Sugeng", "Hadi", "Purnomo", "Setyo", "Yudi", "Rudi",
                  "Arif", "Bayu", "Dimas", "Tri", "Anton", "Gunawan", "Supriyadi"),
             _F: ("Sri", "Endang", "Dewi", "Wahyuni", "Rina", "Puji", "Ratna", "Sulastri",
                  "Ayu", "Suryani", "Indah", "Kartika", "Nur", "Retno", "Tutik", "Dian",
                  "Yuni", "Siti Aminah"),
             "second": {_M: ("Santoso", "Prasetyo", "Nugroho", "Wibowo", "Hartono", "Setiawan",
                             "Kurniawan", "Susanto", "Saputra", "Hidayat", "Widodo", "Utomo"),
                        _F: ("Lestari", "Wulandari", "Handayani", "Rahayu", "Susanti",
                             "Purwanti", "Astuti", "Wahyuningsih", "Kusumawati", "Pratiwi")}},
    "madura": {"weight": 6, "prefix": {_M: ("Moh.", "Abd."), _F: ("Sitti",)},
               _M: ("Holil", "Sahrul", "Hasan", "Sunari", "Matrawi", "Rasyid", "Juhari",
                    "Marsuki", "Hosen"),
               _F: ("Hosnia", "Halimah", "Sunarti", "Maimunah", "Mutmainnah", "Rohani")},
    "bugis": {"weight": 5, "prefix": {_M: ("Andi", "Muhammad"), _F: ("Andi", "Sitti")},
              _M: ("Arif", "Ridwan", "Syamsul", "Hasanuddin", "Amiruddin", "Nasrullah",
                   "Ilham", "Baso", "Syahrir", "Mappiare"),
              _F: ("Nurhayati", "Hasnah", "Rahmawati", "Besse", "Hajrah", "Nurmiati",
                   "Asriani"),
              "second": {_M: ("Mappa", "Lolo", "Pananrangi", "Rahim"),
                         _F: ("Tenri", "Bau", "Sari")}},
    "sunda": {"weight": 4, "prefix": {_M: (), _F: ()},
              _M: ("Asep", "Dadang", "Ujang", "Cecep", "Dede", "Iwan", "Yayat", "Ade"),
              _F: ("Euis", "Neneng", "Imas", "Cucu", "Rini", "Lilis", "Yeni"),
              "second": {_M: ("Sunarya", "Hidayat", "Permana", "Suhendar", "Kusnadi", "Sopian"),
                         _F: ("Nurjanah", "Rostika", "Maryani", "Komalasari")}},
    "batak": {"weight": 4, "prefix": {_M: (), _F: ()},
              _M: ("Robert", "Hotman", "Rudolf", "Sahat", "Parulian", "Martua", "Jonny",
                   "Hendrik"),
              _F: ("Rosmawati", "Lasma", "Tiurma", "Nurmala", "Dewi", "Ruth", "Monika"),
              "family": ("Siregar", "Simanjuntak", "Nasution", "Sitompul", "Harahap",
                         "Hutagalung", "Lubis", "Sinaga", "Pasaribu", "Manurung")},
    "minang": {"weight": 3, "prefix": {_M: (), _F: ()},
               _M: ("Rizal", "Hendra", "Yusuf", "Afrizal", "Zulkifli", "Syafrudin"),
               _F: ("Yulia", "Fitri", "Rahmi", "Yusnimar", "Desmawati"),
               "second": {_M: ("Putra", "Syafri", "Darmawan"), _F: ("Putri", "Yanti", "Sari")}},
    "timur": {"weight": 2, "prefix": {_M: (), _F: ()},
              _M: ("Jefri", "Stevi", "Meiky", "Ronny", "Frangky", "Johan"),
              _F: ("Meylan", "Stevani", "Grace", "Jeane", "Olivia"),
              "family": ("Wowor", "Rumengan", "Sumampouw", "Lumintang", "Pattinama",
                         "Latuheru", "Tuhumury", "Mandagi")},
}

_STAFF_TITLES = ("{}, S.E.", "{}, S.H.", "{}, S.Sos.", "{}, S.Kom.", "{}, S.AP.", "{}, A.Md.",
                 "{}, S.T.", "{}, S.Ak.")
_UNIT_HEAD_TITLES = (*_STAFF_TITLES, "{}, S.E., M.Si.", "{}, S.Sos., M.AP.", "{}, S.H., M.H.")
_TEACHER_TITLES = ("{}, S.Pd.", "{}, S.Pd.", "{}, S.Pd.", "{}, S.Pd.I.", "{}, S.Pd., Gr.")
_HEALTH_TITLES = {_F: ("{}, A.Md.Keb.", "{}, A.Md.Kep.", "{}, S.Kep., Ns.", "{}, S.Farm.",
                       "dr. {}"),
                  _M: ("{}, A.Md.Kep.", "{}, S.Kep., Ns.", "{}, S.KM.", "{}, A.Md.Kes.",
                       "dr. {}")}
# Type mix tilts, not quotas: teachers and nurses are often PPPK, field staff often contract.
_TYPE_AFFINITY = {TEACHER: {PNS: 1.0, PPPK: 2.5, NON_ASN: 0.8},
                  HEALTH: {PNS: 1.0, PPPK: 1.8, NON_ASN: 1.0},
                  GENERAL: {PNS: 1.0, PPPK: 0.6, NON_ASN: 1.2}}
_FEMALE_SHARE = {KEPALA_OPD: 0.25, UNIT_HEAD: 0.4, TEACHER: 0.65, HEALTH: 0.7, GENERAL: 0.45}
# fmt: on

# ---------------------------------------------------------------------------------------------
# The plan.


@dataclass(frozen=True, kw_only=True)
class OpdPlan:
    code: str
    name: str
    kind: str  # an OpdKind value
    remote: bool  # all its workplaces are outside town, with a poor or no network


@dataclass(frozen=True, kw_only=True)
class UnitPlan:
    opd_code: str
    code: str
    name: str


@dataclass(frozen=True, kw_only=True)
class WorkplacePlan:
    code: str
    opd_code: str
    name: str
    address: str
    purpose: str  # office, school or health
    centre_lat: float  # circle centre, or the mean of the polygon's corners
    centre_lon: float
    geofence: dict = field(hash=False)  # Geofence.to_dict(): circle or closed polygon
    tier: str  # a ConnectivityTier value: good, poor, none
    time_zone: str
    known_bssids: tuple[str, ...]
    public_networks: tuple[str, ...]  # CIDRs from the documentation ranges
    office_code_mode: str  # an OfficeCodeMode value

    @property
    def remote(self) -> bool:
        return self.tier != GOOD

    def fence(self) -> Geofence:
        return Geofence.from_dict(self.geofence)


@dataclass(frozen=True, kw_only=True)
class EmployeePlan:
    identifier: str  # NIP for PNS/PPPK, "THL-<OPD>-0001" for non-ASN
    employee_type: str  # PNS, PPPK, NON_ASN
    name: str
    gender: str  # L or P
    birth_date: date
    active_from: date
    opd_code: str
    unit_code: str | None  # None for the Kepala OPD
    position: str  # kepala_opd, unit_head, staff
    job: str  # teacher, health, general
    supervisor: str | None  # identifier of the atasan langsung; None for the Kepala OPD
    workplace_codes: tuple[str, ...]  # the first is where they mostly work
    home_lat: float  # where they live: a few km from the first workplace, outside its fence
    home_lon: float


@dataclass(frozen=True, kw_only=True)
class RegencyPlan:
    seed: int
    opds: tuple[OpdPlan, ...]
    units: tuple[UnitPlan, ...]
    workplaces: tuple[WorkplacePlan, ...]
    employees: tuple[EmployeePlan, ...]

    @cached_property
    def workplace_by_code(self) -> dict[str, WorkplacePlan]:
        return {w.code: w for w in self.workplaces}

    @cached_property
    def employee_by_identifier(self) -> dict[str, EmployeePlan]:
        return {e.identifier: e for e in self.employees}

    def head_of(self, opd_code: str) -> EmployeePlan:
        return next(
            e for e in self.employees if e.opd_code == opd_code and e.position == KEPALA_OPD
        )

    def employees_of(self, opd_code: str) -> Iterator[EmployeePlan]:
        return (e for e in self.employees if e.opd_code == opd_code)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(
            self.to_dict(),
            default=date.isoformat,
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )


def plan_regency(seed: int = 2026, employees: int = 1000) -> RegencyPlan:
    minimum = MIN_EMPLOYEES_PER_OPD * len(OPD_SPECS)
    if employees < minimum:
        raise ValueError(f"the demo regency needs at least {minimum} employees")
    opds = tuple(
        OpdPlan(
            code=s.code, name=s.name, kind=s.kind, remote=all(w.tier != GOOD for w in s.workplaces)
        )
        for s in OPD_SPECS
    )
    workplaces = _plan_workplaces(random.Random(f"hadir-sim:{seed}:workplaces"))
    units, people = _plan_people(
        random.Random(f"hadir-sim:{seed}:employees"), employees, {w.code: w for w in workplaces}
    )
    return RegencyPlan(seed=seed, opds=opds, units=units, workplaces=workplaces, employees=people)


# ---------------------------------------------------------------------------------------------
# Workplaces.


def _offset(lat: float, lon: float, east_m: float, north_m: float) -> tuple[float, float]:
    metres_per_lon = METRES_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat))
    return (
        round(lat + north_m / METRES_PER_DEGREE_LAT, 6),
        round(lon + east_m / metres_per_lon, 6),
    )


_CIRCLE_RADIUS = {"s": (60, 90), "m": (80, 120), "l": (110, 150)}
_RECT_SIDE = {"s": (60, 100), "m": (90, 150), "l": (150, 260)}
_PENTAGON_RADIUS = {"s": (45, 65), "m": (60, 90), "l": (90, 130)}


def _geofence(rng: random.Random, spec: _WorkplaceSpec) -> Geofence:
    if spec.shape == "circle":
        return Geofence.circle(spec.lat, spec.lon, rng.randint(*_CIRCLE_RADIUS[spec.size]))
    if spec.shape == "rect":
        width, height = (rng.randint(*_RECT_SIDE[spec.size]) for _ in range(2))
        angle = math.radians(rng.uniform(0, 40))
        corners = [
            (-width / 2, -height / 2),
            (width / 2, -height / 2),
            (width / 2, height / 2),
            (-width / 2, height / 2),
        ]
        points = [
            (x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle))
            for x, y in corners
        ]
    else:
        radius = rng.randint(*_PENTAGON_RADIUS[spec.size])
        start = rng.uniform(0, 72)
        points = []
        for k in range(5):
            a = math.radians(start + 72 * k + rng.uniform(-10, 10))
            r = radius * rng.uniform(0.8, 1.15)
            points.append((r * math.cos(a), r * math.sin(a)))
    ring = [_offset(spec.lat, spec.lon, x, y) for x, y in points]
    return Geofence.polygon([*ring, ring[0]])


def _documentation_subnets() -> Iterator[str]:
    for block in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"):
        for subnet in ipaddress.ip_network(block).subnets(new_prefix=28):
            yield str(subnet)


def _bssid(rng: random.Random) -> str:
    # Locally administered, unicast: the first octet is x2, x6, xA or xE.
    first = (rng.randrange(256) & 0xFC) | 0x02
    return ":".join(f"{b:02x}" for b in [first, *(rng.randrange(256) for _ in range(5))])


def _plan_workplaces(rng: random.Random) -> tuple[WorkplacePlan, ...]:
    subnets = _documentation_subnets()
    plans = []
    for opd in OPD_SPECS:
        for spec in opd.workplaces:
            fence = _geofence(rng, spec)
            has_wifi = rng.random() < (0.65 if spec.tier == GOOD else 0.5)
            bssids = tuple(_bssid(rng) for _ in range(rng.randint(1, 4) if has_wifi else 0))
            # A remote office with Wi-Fi reaches the internet over a satellite link (poor);
            # with no network at all there is no public address to know.
            networks = (next(subnets),) if has_wifi and spec.tier != NONE else ()
            if spec.tier == NONE:
                mode = REQUIRED  # the offline office code is the only live proof there
            elif spec.tier == POOR:
                mode = OPTIONAL
            else:
                mode = rng.choices((REQUIRED, OPTIONAL, OFF), weights=(2, 5, 2))[0]
            plans.append(
                WorkplacePlan(
                    code=f"{opd.code}-{spec.suffix}",
                    opd_code=opd.code,
                    name=spec.name,
                    address=spec.address,
                    purpose=spec.purpose,
                    centre_lat=round(fence.centre_lat, 6),
                    centre_lon=round(fence.centre_lon, 6),
                    geofence=fence.to_dict(),
                    tier=spec.tier,
                    time_zone=TIME_ZONE,
                    known_bssids=bssids,
                    public_networks=networks,
                    office_code_mode=mode,
                )
            )
    return tuple(plans)


# ---------------------------------------------------------------------------------------------
# People.


def _allocate(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split `total` by weight (largest remainder), each share at least `minimum`."""
    spare = total - minimum * len(weights)
    raw = [spare * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - raw[i], i))
    for i in by_remainder[: spare - sum(counts)]:
        counts[i] += 1
    return [minimum + c for c in counts]


@dataclass
class _Draft:
    """An employee being planned; frozen into an EmployeePlan at the end."""

    opd: _OpdSpec
    position: str
    job: str
    unit_code: str | None
    supervisor_index: int | None = None
    employee_type: str = PNS
    gender: str = _M
    identifier: str = ""
    birth_date: date = date.min
    active_from: date = date.min


def _plan_people(rng: random.Random, total: int, workplaces: dict[str, WorkplacePlan]):
    units: list[UnitPlan] = []
    drafts: list[_Draft] = []
    counts = _allocate(total, [s.weight for s in OPD_SPECS], MIN_EMPLOYEES_PER_OPD)
    for opd, count in zip(OPD_SPECS, counts, strict=True):
        n_units = min(len(opd.units), max(1, (count - 1) // (STAFF_PER_UNIT + 1)))
        opd_units = [UnitPlan(opd_code=opd.code, code=c, name=n) for c, n in opd.units[:n_units]]
        units += opd_units
        head_index = len(drafts)
        drafts.append(_Draft(opd, KEPALA_OPD, GENERAL, None))
        unit_heads = {}
        for unit in opd_units:
            unit_heads[unit.code] = len(drafts)
            drafts.append(_Draft(opd, UNIT_HEAD, GENERAL, unit.code, head_index))
        for _ in range(count - 1 - n_units):
            unit = rng.choice(opd_units).code
            job = opd.job if rng.random() < opd.job_share else GENERAL
            drafts.append(_Draft(opd, STAFF, job, unit, unit_heads[unit]))
    _assign_types(rng, drafts)
    _assign_identities(rng, drafts)
    people = tuple(_employee(rng, d, drafts, workplaces) for d in drafts)
    return tuple(units), people


def _assign_types(rng: random.Random, drafts: list[_Draft]) -> None:
    """Structural posts go to PNS; staff types are drawn so the totals match TYPE_MIX."""
    staff = [d for d in drafts if d.position == STAFF]
    structural = len(drafts) - len(staff)
    left = {t: round(share * len(drafts)) for t, share in TYPE_MIX.items()}
    left[PNS] = max(0, left[PNS] - structural)
    left[NON_ASN] = len(staff) - left[PNS] - left[PPPK]
    if left[NON_ASN] < 0:
        left[PPPK] += left[NON_ASN]
        left[NON_ASN] = 0
    for draft in rng.sample(staff, len(staff)):
        types = list(left)
        weights = [left[t] * _TYPE_AFFINITY[draft.job][t] for t in types]
        draft.employee_type = rng.choices(types, weights=weights)[0]
        left[draft.employee_type] -= 1


def _random_date(rng: random.Random, first: date, last: date) -> date:
    return date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))


_BIRTH_YEARS = {KEPALA_OPD: (1966, 1980), UNIT_HEAD: (1968, 1990), STAFF: (1965, 2000)}


def _assign_identities(rng: random.Random, drafts: list[_Draft]) -> None:
    """Gender, birth date, start date and the NIP (or local number) that encodes them."""
    taken: set[str] = set()
    thl_serial: dict[str, int] = {}
    for d in drafts:
        share = _FEMALE_SHARE[d.position if d.position != STAFF else d.job]
        d.gender = _F if rng.random() < share else _M
        if d.employee_type == NON_ASN:
            thl_serial[d.opd.code] = thl_serial.get(d.opd.code, 0) + 1
            d.identifier = f"THL-{d.opd.code}-{thl_serial[d.opd.code]:04d}"
            d.birth_date = _random_date(rng, date(1975, 1, 1), date(2004, 12, 31))
            d.active_from = _random_date(
                rng,
                date(max(2012, d.birth_date.year + 19), 1, 1),
                date(LATEST_APPOINTMENT_YEAR, 12, 1),
            ).replace(day=1)
            continue
        low, high = _BIRTH_YEARS[d.position] if d.employee_type == PNS else (1970, 2000)
        d.birth_date = _random_date(rng, date(low, 1, 1), date(high, 12, 31))
        earliest = d.birth_date.year + 21  # appointed after turning 20
        if d.employee_type == PNS:
            year = rng.randint(earliest, min(LATEST_APPOINTMENT_YEAR, d.birth_date.year + 38))
            month = rng.randint(1, 12)
            marker = f"{month:02d}"
        else:  # PPPK appointments began in 2021; their NIP carries "21" for the month
            year = rng.randint(max(2021, earliest), LATEST_APPOINTMENT_YEAR)
            month = rng.choice((1, 3, 4, 7, 10))
            marker = PPPK_MONTH_MARKER
        prefix = f"{d.birth_date:%Y%m%d}{year:04d}{marker}{'1' if d.gender == _M else '2'}"
        while (nip := f"{prefix}{rng.randint(1, 999):03d}") in taken:
            pass
        taken.add(nip)
        d.identifier, d.active_from = nip, date(year, month, 1)


def _name(rng: random.Random, gender: str) -> str:
    groups = list(NAME_GROUPS)
    weights = [NAME_GROUPS[g]["weight"] for g in groups]
    group = NAME_GROUPS[rng.choices(groups, weights=weights)[0]]
    parts = []
    if group["prefix"][gender] and rng.random() < 0.4:
        parts.append(rng.choice(group["prefix"][gender]))
    parts.append(rng.choice(group[gender]))
    if "second" in group and rng.random() < 0.6:
        parts.append(rng.choice(group["second"][gender]))
    if "family" in group and rng.random() < 0.8:
        parts.append(rng.choice(group["family"]))
    return " ".join(parts)


def _titled(rng: random.Random, d: _Draft, name: str) -> str:
    if d.position == KEPALA_OPD:
        titles = d.opd.head_titles
    elif d.position == UNIT_HEAD:
        titles = _UNIT_HEAD_TITLES
    elif d.job == TEACHER and rng.random() < 0.85:
        titles = _TEACHER_TITLES
    elif d.job == HEALTH and rng.random() < 0.8:
        titles = _HEALTH_TITLES[d.gender]
    elif rng.random() < (0.2 if d.employee_type == NON_ASN else 0.5):
        titles = _STAFF_TITLES
    else:
        return name
    return rng.choice(titles).format(name)


_JOB_PURPOSE = {TEACHER: SCHOOL, HEALTH: CLINIC, GENERAL: OFFICE}


def _workplaces_for(
    rng: random.Random, d: _Draft, workplaces: dict[str, WorkplacePlan]
) -> tuple[str, ...]:
    own = [w for w in workplaces.values() if w.opd_code == d.opd.code]
    if d.position != STAFF:
        return (own[0].code,)
    purpose = _JOB_PURPOSE[d.job]
    fitting = [w for w in own if w.purpose == purpose] or own[:1]
    # Most general staff sit in the main office; a few at the OPD's other posts.
    weights = [3 if w is own[0] else 1 for w in fitting]
    first = rng.choices(fitting, weights=weights)[0]
    if d.job == GENERAL or rng.random() >= SECOND_WORKPLACE_SHARE:
        return (first.code,)
    # A teacher or nurse also serving a second school or clinic: of their OPD if it has one,
    # otherwise of the same kind nearby (town with town, upriver with upriver).
    others = [w for w in fitting if w is not first] or [
        w
        for w in workplaces.values()
        if w.purpose == purpose and w is not first and w.remote == first.remote
    ]
    if not others:
        return (first.code,)
    return first.code, rng.choice(others).code


def _home(rng: random.Random, workplace: WorkplacePlan) -> tuple[float, float]:
    """A few km from the workplace in town, closer in a river village; never inside the fence."""
    low, high = (0.5, 6.0) if not workplace.remote else (0.4, 2.5)
    distance = (low + (high - low) * rng.random() ** 1.5) * 1000
    bearing = rng.uniform(0, 2 * math.pi)
    return _offset(
        workplace.centre_lat,
        workplace.centre_lon,
        distance * math.sin(bearing),
        distance * math.cos(bearing),
    )


def _employee(
    rng: random.Random, d: _Draft, drafts: list[_Draft], workplaces: dict[str, WorkplacePlan]
) -> EmployeePlan:
    places = _workplaces_for(rng, d, workplaces)
    home_lat, home_lon = _home(rng, workplaces[places[0]])
    supervisor = drafts[d.supervisor_index] if d.supervisor_index is not None else None
    return EmployeePlan(
        identifier=d.identifier,
        employee_type=d.employee_type,
        name=_titled(rng, d, _name(rng, d.gender)),
        gender=d.gender,
        birth_date=d.birth_date,
        active_from=d.active_from,
        opd_code=d.opd.code,
        unit_code=d.unit_code,
        position=d.position,
        job=d.job,
        supervisor=supervisor.identifier if supervisor else None,
        workplace_codes=places,
        home_lat=home_lat,
        home_lon=home_lon,
    )
