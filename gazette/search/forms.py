from django import forms

from gazette.newsroom.models import Section


class SearchForm(forms.Form):
    # No max_length: a long paste is cut by search.terms, not refused.
    q = forms.CharField(label="Search for", required=False, strip=True)
    section = forms.ModelChoiceField(
        Section.objects.order_by("-is_top_news", "position", "name"),
        to_field_name="slug",
        required=False,
        empty_label="All sections",
    )
    published_from = forms.DateField(label="From", required=False)
    published_to = forms.DateField(label="To", required=False)

    def __init__(self, data=None, **kwargs):
        # The address uses the short names from= and to= (the page writes them).
        if data is not None:
            data = {
                "q": data.get("q", ""),
                "section": data.get("section", ""),
                "published_from": data.get("from", ""),
                "published_to": data.get("to", ""),
            }
        super().__init__(data, **kwargs)
