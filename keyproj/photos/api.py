"""The photos of a return or a site visit over the API: list them, add one (multipart).

/api/v1/returns/<id>/photos/ and /api/v1/site-visits/<id>/photos/. Scoped like the pages: a return
or visit the caller may not see is 404, and only the photos of projects they may see are listed.
Adding calls the same service as the page (keyproj.photos.services.add_photo); a refusal comes
back in the API's one error shape.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.core.api import NOT_FOUND, REFUSALS, ServiceErrorsMixin
from keyproj.core.errors import Reason, Refused
from keyproj.photos import services
from keyproj.photos.models import Photo
from keyproj.photos.views import request_too_large
from keyproj.problems.models import SiteVisit
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn


class PhotoFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class PhotoSerializer(serializers.ModelSerializer):
    """A photo as the API shows it to those who may see its project (its point is theirs to see)."""

    project = serializers.CharField(source="project.code", read_only=True)
    flags = PhotoFlagSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = [
            "id",
            "project",
            "name",
            "kind",
            "size",
            "sha256",
            "width",
            "height",
            "taken_at",
            "gps_lat",
            "gps_lng",
            "exif_error",
            "flags",
            "uploaded_at",
            "url",
            "thumbnail_url",
        ]
        read_only_fields = fields

    def get_url(self, photo: Photo) -> str:
        return photo.get_absolute_url()

    def get_thumbnail_url(self, photo: Photo) -> str:
        return photo.thumbnail_url


class PhotoUploadSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="JPEG、PNG或HEIC照片（按内容判断类型）")
    project = serializers.CharField(
        required=False, help_text="深入现场去了多个项目时：照片所拍项目的代码（填报的照片属于其项目）"
    )


class _PhotosView(ServiceErrorsMixin, APIView):
    """The shared list and upload of a target's photos."""

    parser_classes = [MultiPartParser]
    problem_fields = {"照片": "photo", "项目": "project"}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication, which (for a session) reads the body to check its CSRF token: an
        # oversized upload is refused before a byte of it is read.
        if request.method == "POST":
            too_large = request_too_large(request._request)
            if too_large:
                raise Refused([Reason("照片", too_large)])
        super().initial(request, *args, **kwargs)

    def target(self, request: Request, pk: int) -> ProgressReturn | SiteVisit:
        raise NotImplementedError

    def rows(self, request: Request, target: Any) -> Any:
        raise NotImplementedError

    def list_photos(self, request: Request, pk: int) -> Response:
        target = self.target(request, pk)
        rows = self.rows(request, target).select_related("project").order_by("uploaded_at", "id")
        return Response(PhotoSerializer(rows, many=True).data)

    def add(self, request: Request, pk: int) -> Response:
        target = self.target(request, pk)
        data = PhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = None
        code = data.validated_data.get("project")
        if code:
            project = Project.objects.visible_to(request.user).filter(code=code).first()
            if project is None:
                raise Refused([Reason("项目", f"没有项目代码为“{code}”的项目")])
        photo = services.add_photo(target, data.validated_data["photo"], user=request.user, project=project)
        return Response(PhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class ReturnPhotosView(_PhotosView):
    """月度填报的现场照片: list; add one (multipart field `photo`)."""

    def target(self, request: Request, pk: int) -> ProgressReturn:
        return get_object_or_404(ProgressReturn.objects.visible_to(request.user).select_related("project"), pk=pk)

    def rows(self, request: Request, target: Any) -> Any:
        return Photo.objects.visible_to(request.user).filter(progress_return=target)

    @extend_schema(responses={200: PhotoSerializer(many=True), **NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        return self.list_photos(request, pk)

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: PhotoSerializer, **REFUSALS, **NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.add(request, pk)


class VisitPhotosView(_PhotosView):
    """深入现场的照片: list; add one (multipart `photo`, and `project` when the visit went to several)."""

    def target(self, request: Request, pk: int) -> SiteVisit:
        return get_object_or_404(SiteVisit.objects.visible_to(request.user), pk=pk)

    def rows(self, request: Request, target: Any) -> Any:
        return Photo.objects.visible_to(request.user).filter(site_visit=target)

    @extend_schema(responses={200: PhotoSerializer(many=True), **NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        return self.list_photos(request, pk)

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: PhotoSerializer, **REFUSALS, **NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.add(request, pk)
