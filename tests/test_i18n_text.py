"""The i18n test's heuristics (tests/i18n_text.py) catch what they should, and no more."""

from tests.i18n_text import Catalogue, english_words, visible_text


def test_english_sentences_and_raw_values_are_caught():
    assert english_words("Select employee to change") == ["select", "employee", "to", "change"]
    assert english_words("Jenis pegawai: NON_ASN") == ["NON_ASN"]
    assert english_words("hasil: accepted_with_warnings") == ["accepted_with_warnings"]


def test_indonesian_codes_names_and_ids_pass():
    text = "Pilih pegawai untuk diubah · TK · PSW1 · No. SK 12 · ch_3f2abe91 · user:admin_disdik"
    assert english_words(text) == []
    assert english_words("admin_disdik", allowed=frozenset({"admin_disdik"})) == []


def test_visible_text_reads_what_people_read_and_skips_code_and_scripts():
    html = (
        '<p title="Judul">Halo</p><script>var the = 1;</script><pre>{"kind": "check_in"}</pre>'
        '<input type="submit" value="Simpan"><img src="/static/admin/img/icon-yes.svg" alt="True">'
    )
    assert visible_text(html).split("\n") == ["Judul", "Halo", "Simpan"]


def test_a_msgid_shown_untranslated_is_caught_even_with_placeholders():
    catalogue = Catalogue(
        [
            {"msgid": "Wrong NIP or password.", "msgstr": "NIP atau kata sandi salah."},
            {"msgid": "OPD '{opd}' has no unit '{unit}'", "msgstr": "OPD '{opd}' tanpa '{unit}'"},
            {"msgid": "OPD", "msgstr": "OPD"},  # the same in both languages: never reported
        ]
    )
    assert catalogue.untranslated("Galat: Wrong NIP or password.") == ["Wrong NIP or password."]
    assert catalogue.untranslated("OPD 'DISDIK' has no unit 'X'") == [
        "OPD '{opd}' has no unit '{unit}'"
    ]
    assert catalogue.untranslated("NIP atau kata sandi salah.\nOPD") == []
