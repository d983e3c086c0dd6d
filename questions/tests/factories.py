import factory

from questions.models import KeyPoint, Question, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    order = factory.Sequence(int)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A published question with key points and its first version.

    key_points: a list of (label, text) pairs.
    """

    class Meta:
        model = Question
        skip_postgeneration_save = True

    topic = factory.SubFactory(TopicFactory)
    prompt = factory.Sequence(lambda n: f"如何优化大模型的训练过程以提高效率？({n})")
    answer = "优化大模型训练过程的方法包括："
    explanation = "这些方法可以提高大模型训练的效率。"

    @factory.post_generation
    def key_points(self, create, extracted, **kwargs):
        pairs = (
            extracted
            if extracted is not None
            else [
                ("并行计算", "利用多GPU或分布式计算资源，加速训练过程。"),
                ("混合精度训练", "使用FP16代替FP32进行训练，减少内存占用和计算时间。"),
            ]
        )
        for order, (label, text) in enumerate(pairs):
            KeyPoint.objects.create(question=self, order=order, label=label, text=text)
        self.freeze_version()
