import factory
from django.contrib.auth import get_user_model

from yingshang.core.uscc import make_uscc
from yingshang.directory.models import Department, Enterprise, EnterpriseGroup

PASSWORD = "test-pass-1234"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = factory.Faker("last_name", locale="zh_CN")
    first_name = factory.Faker("first_name", locale="zh_CN")
    password = factory.django.Password(PASSWORD)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    kind = Department.Kind.DEPARTMENT


class BureauFactory(DepartmentFactory):
    code = factory.Sequence(lambda n: f"bureau-{n}")
    name = factory.Sequence(lambda n: f"测试服务局{n}")
    kind = Department.Kind.BUREAU


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseGroup

    name = factory.Sequence(lambda n: f"测试集团{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"长春测试汽车零部件{n}有限公司")
    uscc = factory.Sequence(lambda n: make_uscc("220174", 90_000_000 + n))
    legal_representative = factory.Faker("name", locale="zh_CN")
    contact_phone = "13812345678"
    industry = "汽车零部件及配件制造"
