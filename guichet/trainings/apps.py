from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "guichet.trainings"
    label = "trainings"
    verbose_name = "Formations"

    def ready(self) -> None:
        from guichet.core.reference import register
        from guichet.trainings.importers import load_trainings_reference

        register(
            "trainings",
            order=40,
            load=load_trainings_reference,
            description="Organismes de formation en apprentissage des Hauts-de-France et certifications Certif Info.",
        )
        from guichet.trainings.access import register_trainings_access

        register_trainings_access()
        from guichet.core.reference import register_after_import
        from guichet.trainings.slots import connect_slot_receivers, training_slots_sync_coordinates

        connect_slot_receivers()
        register_after_import("trainings.slots_coordinates", training_slots_sync_coordinates)
