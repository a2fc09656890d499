"""factory_boy factories for the project's models."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from clients.models import Application

DEFAULT_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    # Hashed before the first save (not set_password after it): a password set on an
    # existing user is a password change, which the audit trail records.
    password = factory.LazyFunction(lambda: make_password(DEFAULT_PASSWORD))

    @factory.post_generation
    def role(self, create: bool, extracted: Role | None, **kwargs) -> None:
        """`UserFactory(role=Role.ADVISOR)` puts the user in that role's group."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=str(extracted)))
        if create:
            self.save()


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A plausible application; pass any Kaggle field (lower case) to override."""

    class Meta:
        model = Application

    # Far above the Kaggle and synthetic ids (100002 upwards), so they never collide.
    sk_id_curr = factory.Sequence(lambda n: 9_000_000 + n)
    name_contract_type = "Cash loans"
    code_gender = "F"
    flag_own_car = "N"
    flag_own_realty = "Y"
    cnt_children = 0
    amt_income_total = 202_500.0
    amt_credit = 406_597.5
    amt_annuity = 24_700.5
    amt_goods_price = 351_000.0
    name_income_type = "Working"
    name_education_type = "Secondary / secondary special"
    name_family_status = "Married"
    name_housing_type = "House / apartment"
    days_birth = -9_461
    days_employed = -637
    ext_source_2 = 0.26
    ext_source_3 = 0.14
    target = 0
