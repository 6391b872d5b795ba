"""The reader's search page."""

from django.conf import settings
from django.views.generic import ListView

from gazette.search import selectors
from gazette.search.forms import SearchForm


class SearchView(ListView):
    template_name = "search/search_results.html"
    context_object_name = "hits"

    def get_paginate_by(self, queryset):
        return settings.GAZETTE_SEARCH_PAGE_SIZE

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        if not self.form.is_valid():
            return selectors.search_stories("")
        return selectors.search_stories(
            self.form.cleaned_data["q"],
            section=self.form.cleaned_data["section"],
            published_from=self.form.cleaned_data["published_from"],
            published_to=self.form.cleaned_data["published_to"],
        )

    def paginate_queryset(self, queryset, page_size):
        # A page past the end or a word in ?page= shows the nearest page, not a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        context.update(
            form=self.form,
            query=self.form.data.get("q", ""),
            sections=self.form.fields["section"].queryset,
            address_without_page=query.urlencode(),
        )
        return context
