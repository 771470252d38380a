"""Reasons a verdict carries: a stable code, a severity, and an Indonesian message.

"hard" rejects the event, "soft" accepts it with a warning a person should look at, "info"
records positive (or neutral) evidence. The catalogue is data: the HTTP status a hard reason
suggests and the default severity live here, not in the checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HARD, SOFT, INFO = "hard", "soft", "info"
MESSAGE_ID_PREFIX = "verify."


@dataclass(frozen=True)
class Reason:
    code: str
    severity: str
    message_id: str
    message: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message_id": self.message_id,
            "message": self.message,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ReasonSpec:
    severity: str
    message: str
    http_status: int = 422  # used only when the reason is hard


CATALOGUE: dict[str, ReasonSpec] = {
    # Transport and authentication
    "body_too_large": ReasonSpec(HARD, "Ukuran data event melebihi batas", 413),
    "body_invalid": ReasonSpec(HARD, "Data event tidak sah", 400),
    "key_missing": ReasonSpec(HARD, "Identitas kunci perangkat tidak dikirim", 401),
    "signature_missing": ReasonSpec(HARD, "Tanda tangan tidak dikirim", 401),
    "device_unknown": ReasonSpec(HARD, "Perangkat tidak dikenal", 401),
    "device_key_unusable": ReasonSpec(HARD, "Kunci publik perangkat tidak dapat dipakai", 401),
    "signature_invalid": ReasonSpec(HARD, "Tanda tangan tidak sah", 401),
    # Device and employee
    "device_pending": ReasonSpec(HARD, "Perangkat belum disetujui", 403),
    "device_revoked": ReasonSpec(HARD, "Perangkat sudah dicabut", 403),
    "device_employee_mismatch": ReasonSpec(HARD, "Perangkat terdaftar atas nama pegawai lain", 403),
    "employee_unknown": ReasonSpec(HARD, "Pegawai tidak dikenal", 403),
    "employee_inactive": ReasonSpec(HARD, "Pegawai tidak aktif", 403),
    "integrity_failed": ReasonSpec(SOFT, "Integritas aplikasi tidak lolos pemeriksaan"),
    "integrity_not_checked": ReasonSpec(INFO, "Integritas aplikasi tidak diperiksa"),
    # Sequence and chain
    "sequence_replay": ReasonSpec(
        HARD, "Nomor urut event sudah pernah diterima (kiriman ulang)", 409
    ),
    "sequence_gap": ReasonSpec(SOFT, "Ada event sebelumnya yang tidak pernah diterima"),
    "chain_mismatch": ReasonSpec(SOFT, "Rantai event tidak cocok dengan event sebelumnya"),
    # Clocks and time
    "clock_tampering": ReasonSpec(SOFT, "Jam perangkat tampak diubah"),
    "device_clock_skew": ReasonSpec(SOFT, "Jam perangkat berbeda jauh dari jam server"),
    "offline_time_unverifiable": ReasonSpec(SOFT, "Waktu event luring tidak dapat diverifikasi"),
    "offline_time_from_office_qr": ReasonSpec(
        INFO, "Waktu event luring diambil dari kode QR kantor yang dipindai"
    ),
    "offline_time_confirmed_by_office_code": ReasonSpec(
        INFO, "Waktu event luring dikonfirmasi oleh kode kantor"
    ),
    "office_qr_time_mismatch": ReasonSpec(
        SOFT, "Waktu kode QR kantor tidak cocok dengan waktu dari jam perangkat"
    ),
    "offline_late": ReasonSpec(SOFT, "Event luring terlambat dikirim"),
    "offline_too_late": ReasonSpec(HARD, "Event luring dikirim melewati batas waktu"),
    "event_in_future": ReasonSpec(HARD, "Waktu event berada di masa depan"),
    # Location
    "inside_geofence": ReasonSpec(INFO, "Lokasi di dalam area kantor"),
    "geofence_uncertain": ReasonSpec(SOFT, "Lokasi di tepi area kantor, dalam batas akurasi"),
    "outside_geofence": ReasonSpec(SOFT, "Lokasi di luar area kantor"),
    "no_workplace": ReasonSpec(SOFT, "Pegawai belum memiliki tempat kerja"),
    "stale_fix": ReasonSpec(SOFT, "Data lokasi sudah kedaluwarsa"),
    "fix_in_future": ReasonSpec(SOFT, "Waktu data lokasi lebih baru dari jam perangkat"),
    "mock_location": ReasonSpec(SOFT, "Lokasi palsu (mock) terdeteksi"),
    # Presence evidence
    "office_code_missing": ReasonSpec(SOFT, "Kode kantor tidak diisi"),
    "office_code_invalid": ReasonSpec(SOFT, "Kode kantor salah atau kedaluwarsa"),
    "office_code_valid": ReasonSpec(INFO, "Kode kantor sah"),
    "office_code_not_configured": ReasonSpec(INFO, "Kode kantor belum diatur dengan benar"),
    "bssid_match": ReasonSpec(INFO, "Wi-Fi kantor terdeteksi"),
    "workplace_network": ReasonSpec(INFO, "Dikirim dari jaringan internet kantor"),
    "challenge_unknown": ReasonSpec(
        SOFT, "Permintaan cek kehadiran tidak dikenal atau sudah ditutup"
    ),
    "challenge_answered": ReasonSpec(INFO, "Menjawab permintaan cek kehadiran"),
}


def make_reason(code: str, severity: str | None = None, **detail: Any) -> Reason:
    spec = CATALOGUE[code]
    return Reason(
        code=code,
        severity=severity or spec.severity,
        message_id=MESSAGE_ID_PREFIX + code,
        message=spec.message,
        detail=detail,
    )


def severity_for(action: str) -> str:
    """Policy actions are written "warn" or "reject"."""
    return HARD if action == "reject" else SOFT


def http_status_for(reasons: list[Reason] | tuple[Reason, ...]) -> int:
    """The most fundamental hard failure decides: size, then authentication, then syntax, then
    authorisation, then replay, then everything else."""
    hard = {CATALOGUE[r.code].http_status for r in reasons if r.severity == HARD}
    for status in (413, 401, 400, 403, 409, 422):
        if status in hard:
            return status
    return 201
